using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace NftKnock.Server.Events;

/// <summary>
/// The nfnetlink_log messages nftknock sends and reads, pure: the configuration that binds a group, and
/// a packet message turned into the line nf_log would have written (the prefix, then <c>IN= OUT= SRC=
/// DST= LEN= PROTO= SPT= DPT=</c>), so one parser (<see cref="LogLine"/>) reads every source.
/// </summary>
public static partial class Nflog
{
    /// <summary>NFNL_SUBSYS_ULOG.</summary>
    private const int Subsystem = 4;
    private const int MessagePacket = 0;
    private const int MessageConfig = 1;
    private const ushort Request = 0x1;
    private const ushort Ack = 0x4;
    private const int Error = 2;

    private const ushort ConfigCommand = 1;
    private const ushort ConfigMode = 2;
    private const ushort ConfigQueueThreshold = 4;
    private const byte CommandBind = 1;
    private const byte CopyPacket = 2;

    private const ushort PacketHeader = 1;
    private const ushort InDevice = 4;
    private const ushort Payload = 9;
    private const ushort Prefix = 10;

    /// <summary>Bytes of each packet copied: the IP header and the first bytes of the transport header.</summary>
    public const int CopyRange = 128;

    /// <summary>The three requests that bind <paramref name="group"/>, copy the headers of each packet and hand over each one at once; each asks for an acknowledgement.</summary>
    public static byte[] Bind(int group)
    {
        var buffer = new List<byte>(128);
        buffer.AddRange(Config(group, 1, ConfigCommand, [CommandBind]));
        var mode = new byte[6];
        BinaryPrimitives.WriteUInt32BigEndian(mode, CopyRange);
        mode[4] = CopyPacket;
        buffer.AddRange(Config(group, 2, ConfigMode, mode));
        var threshold = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(threshold, 1);
        buffer.AddRange(Config(group, 3, ConfigQueueThreshold, threshold));
        return [.. buffer];
    }

    private static byte[] Config(int group, uint sequence, ushort attribute, byte[] value)
    {
        var attributeLength = 4 + value.Length;
        var length = 16 + 4 + Align(attributeLength);
        var message = new byte[length];
        var span = message.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], (Subsystem << 8) | MessageConfig);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], Request | Ack);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], sequence);
        // nfgenmsg: family AF_UNSPEC, version 0, the group in network order.
        BinaryPrimitives.WriteUInt16BigEndian(span[18..], (ushort)group);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], (ushort)attributeLength);
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], attribute);
        value.CopyTo(span[24..]);
        return message;
    }

    /// <summary>
    /// The netlink messages in one datagram: for each, the error number of an acknowledgement (0 for
    /// success, null for a packet), and for a packet the line it stands for (null when it is not one).
    /// </summary>
    public static IEnumerable<(int? Errno, string? Line)> Read(byte[] datagram, int count, Func<int, string?> interfaceName)
    {
        var offset = 0;
        while (offset + 16 <= count)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram.AsSpan(offset));
            if (length < 16 || offset + length > count)
            {
                yield break;
            }

            var type = BinaryPrimitives.ReadUInt16LittleEndian(datagram.AsSpan(offset + 4));
            var body = new ReadOnlyMemory<byte>(datagram, offset + 16, length - 16);
            if (type == Error && body.Length >= 4)
            {
                yield return (-BinaryPrimitives.ReadInt32LittleEndian(body.Span), null);
            }
            else if (type == ((Subsystem << 8) | MessagePacket) && body.Length >= 4)
            {
                yield return (null, PacketLine(body.Span, interfaceName));
            }

            offset += Align(length);
        }
    }

    /// <summary>A packet message (after its netlink header) as nf_log's line; null when it lacks a prefix or an IP header.</summary>
    public static string? PacketLine(ReadOnlySpan<byte> body, Func<int, string?> interfaceName)
    {
        string? prefix = null;
        int? device = null;
        ReadOnlySpan<byte> payload = default;
        var attributes = body[4..];
        while (attributes.Length >= 4)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(attributes);
            var type = BinaryPrimitives.ReadUInt16LittleEndian(attributes[2..]) & 0x3fff;
            if (length < 4 || length > attributes.Length)
            {
                return null;
            }

            var value = attributes[4..length];
            switch (type)
            {
                case Prefix:
                    var end = value.IndexOf((byte)0);
                    prefix = Encoding.UTF8.GetString(end >= 0 ? value[..end] : value);
                    break;
                case InDevice when value.Length == 4:
                    device = (int)BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case Payload:
                    payload = value;
                    break;
                case PacketHeader:
                    break;
            }

            attributes = attributes[Math.Min(Align(length), attributes.Length)..];
        }

        return prefix is null || Packet(payload) is not { } fields ? null : $"{prefix}IN={Device(device, interfaceName)} OUT= {fields}";
    }

    private static string Device(int? index, Func<int, string?> interfaceName) =>
        index is { } i && interfaceName(i) is { } name && InterfaceName().IsMatch(name) ? name : string.Empty;

    /// <summary>nf_log's address, length and port fields of an IPv4 or IPv6 packet.</summary>
    private static string? Packet(ReadOnlySpan<byte> ip)
    {
        if (ip.Length < 20)
        {
            return null;
        }

        int protocol, header, total;
        IPAddress source, destination;
        if (ip[0] >> 4 == 4)
        {
            header = (ip[0] & 0xf) * 4;
            total = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
            protocol = ip[9];
            (source, destination) = (new IPAddress(ip[12..16]), new IPAddress(ip[16..20]));
        }
        else if (ip[0] >> 4 == 6 && ip.Length >= 40)
        {
            header = 40;
            total = 40 + BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
            protocol = ip[6];
            (source, destination) = (new IPAddress(ip[8..24]), new IPAddress(ip[24..40]));
        }
        else
        {
            return null;
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"SRC={source} DST={destination} LEN={total}");
        var name = protocol switch
        {
            6 => "TCP",
            17 => "UDP",
            _ => null,
        };
        if (name is null || ip.Length < header + 4)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{text} PROTO={protocol}");
        }

        var ports = ip[header..];
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{text} PROTO={name} SPT={BinaryPrimitives.ReadUInt16BigEndian(ports)} DPT={BinaryPrimitives.ReadUInt16BigEndian(ports[2..])}");
    }

    private static int Align(int length) => (length + 3) & ~3;

    [GeneratedRegex(@"^[A-Za-z0-9_.@-]{1,15}\z")]
    private static partial Regex InterfaceName();
}
