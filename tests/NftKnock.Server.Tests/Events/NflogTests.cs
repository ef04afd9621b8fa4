using System.Buffers.Binary;
using System.Text;
using NftKnock.Server.Events;

namespace NftKnock.Server.Tests.Events;

public sealed class NflogTests
{
    /// <summary>An NFULNL_MSG_PACKET datagram as the kernel sends it: netlink header, nfgenmsg, then attributes.</summary>
    private static byte[] Packet(string prefix, byte[] ip, int inIndex)
    {
        var attributes = new List<byte>();
        void Add(ushort type, byte[] value)
        {
            var header = new byte[4];
            BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(4 + value.Length));
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), type);
            attributes.AddRange(header);
            attributes.AddRange(value);
            attributes.AddRange(new byte[((value.Length + 3) & ~3) - value.Length]);
        }

        Add(1, [0x08, 0x00, 1, 0]);
        var index = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(index, (uint)inIndex);
        Add(4, index);
        Add(9, ip);
        Add(10, [.. Encoding.UTF8.GetBytes(prefix), 0]);
        var message = new byte[16 + 4 + attributes.Count];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), 4 << 8);
        message[16] = 2; // NFPROTO_IPV4
        attributes.CopyTo(message, 20);
        return message;
    }

    private static readonly byte[] UdpV4 =
    [
        0x45, 0, 0, 33, 0, 1, 0x40, 0, 64, 17, 0, 0, 198, 18, 0, 2, 198, 18, 0, 1,
        0xa4, 0x13, 0x1b, 0x58, 0, 13, 0, 0, (byte)'k', (byte)'n', (byte)'o', (byte)'c', (byte)'k',
    ];

    [Fact]
    public void A_packet_of_the_group_reads_as_the_line_nf_log_would_have_written()
    {
        var datagram = Packet("nftknock ssh open: ", UdpV4, 3);

        var read = Nflog.Read(datagram, datagram.Length, i => i == 3 ? "eth0" : null).ShouldHaveSingleItem();

        read.Errno.ShouldBeNull();
        read.Line.ShouldBe("nftknock ssh open: IN=eth0 OUT= SRC=198.18.0.2 DST=198.18.0.1 LEN=33 PROTO=UDP SPT=42003 DPT=7000");
        LogLine.TryParse(new KernelRecord(DateTimeOffset.UnixEpoch, read.Line!), out var knock).ShouldBeTrue();
        (knock.Door, knock.Source, knock.Interface, knock.Port, knock.Protocol).ShouldBe(("ssh", "198.18.0.2", "eth0", 7000, "udp"));
    }

    [Fact]
    public void An_interface_name_nftknock_would_not_show_is_left_out()
    {
        var datagram = Packet("nftknock ssh open: ", UdpV4, 3);

        Nflog.Read(datagram, datagram.Length, _ => "a b SRC=1.2.3.4").Single().Line.ShouldStartWith("nftknock ssh open: IN= OUT= SRC=198.18.0.2 ");
    }

    [Fact]
    public void A_truncated_datagram_or_a_packet_without_an_ip_header_gives_no_line()
    {
        var datagram = Packet("nftknock ssh open: ", UdpV4, 3);

        Nflog.Read(datagram, datagram.Length - 1, _ => null).ShouldBeEmpty();
        var bare = Packet("nftknock ssh open: ", [1, 2, 3], 3);
        Nflog.Read(bare, bare.Length, _ => null).Single().Line.ShouldBeNull();
    }

    [Fact]
    public void Binding_sends_three_acknowledged_requests_for_the_group()
    {
        var request = Nflog.Bind(4242);

        request.Length.ShouldBe(28 + 32 + 28);
        BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(4)).ShouldBe((ushort)((4 << 8) | 1));
        BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(6)).ShouldBe((ushort)5);
        BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(18)).ShouldBe((ushort)4242);
    }
}
