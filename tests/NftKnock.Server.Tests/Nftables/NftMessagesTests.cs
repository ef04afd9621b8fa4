using System.Buffers.Binary;
using System.Text;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Nftables;

namespace NftKnock.Server.Tests.Nftables;

/// <summary>
/// The nf_tables requests apply sends the kernel, and the answers read from the bytes the kernel sends
/// (laid out here as linux/netfilter/nf_tables.h and nftnl's user data lay them out). The kernel read
/// itself is checked against nft's listing by the kernel tests.
/// </summary>
public sealed class NftMessagesTests
{
    private const uint Sequence = 7;

    [Fact]
    public void A_table_request_asks_for_one_inet_table_by_name_with_an_acknowledgement()
    {
        var request = NftMessages.Table("nftknock", Sequence);

        BinaryPrimitives.ReadUInt32LittleEndian(request).ShouldBe((uint)request.Length);
        BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(4)).ShouldBe((ushort)((10 << 8) | 1), "NFNL_SUBSYS_NFTABLES, NFT_MSG_GETTABLE");
        BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(6)).ShouldBe((ushort)0x5, "NLM_F_REQUEST | NLM_F_ACK");
        BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(8)).ShouldBe(Sequence);
        request[16].ShouldBe((byte)1, "NFPROTO_INET");
        request.AsSpan(20).ToArray().ShouldBe(Attribute(1, "nftknock\0"u8.ToArray()));
    }

    [Fact]
    public void A_counter_dump_is_filtered_to_the_table_and_to_counters_by_the_kernel()
    {
        var request = NftMessages.Counters("nftknock", Sequence);

        BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(4)).ShouldBe((ushort)((10 << 8) | 19), "NFT_MSG_GETOBJ");
        BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(6)).ShouldBe((ushort)0x301, "NLM_F_REQUEST | NLM_F_DUMP");
        request.AsSpan(20).ToArray().ShouldBe([.. Attribute(1, "nftknock\0"u8.ToArray()), .. Attribute(3, BigEndian32(1))]);
    }

    [Fact]
    public void A_table_answer_gives_its_handle_and_the_comment_from_its_user_data()
    {
        var answer = Read(
            Message((10 << 8) | 0, 0, Attribute(1, "nftknock\0"u8.ToArray()), Attribute(4, BigEndian64(42)), Attribute(6, UserData(0, "managed by nftknock"))),
            Acknowledgement(0));

        answer.Finished.ShouldBeTrue();
        answer.Errno.ShouldBe(0);
        answer.Table.ShouldBe(new KernelTable("nftknock", 42, "managed by nftknock"));
    }

    [Fact]
    public void A_missing_table_is_the_kernels_refusal_with_its_errno()
    {
        var answer = Read(Acknowledgement(-2));

        answer.Finished.ShouldBeTrue();
        answer.Errno.ShouldBe(2);
        answer.Table.ShouldBeNull();
    }

    [Fact]
    public void A_counter_dump_gives_each_counters_counts_and_comment_and_ends_when_done()
    {
        var counter = Message(
            (10 << 8) | 18,
            2,
            Attribute(1, "nftknock\0"u8.ToArray()),
            Attribute(2, "team_grants_c1\0"u8.ToArray()),
            Attribute(3, BigEndian32(1)),
            Attribute(0x8000 | 4, [.. Attribute(1, BigEndian64(1500)), .. Attribute(2, BigEndian64(3))]),
            Attribute(6, BigEndian64(9)),
            Attribute(8, [.. UserData(1, "other"), .. UserData(0, "bob")]));
        var quota = Message((10 << 8) | 18, 2, Attribute(1, "nftknock\0"u8.ToArray()), Attribute(2, "q\0"u8.ToArray()), Attribute(3, BigEndian32(2)));

        var partial = Read(counter);
        var answer = Read(counter, quota, Message(3, 2, BigEndian32(0)));

        partial.Finished.ShouldBeFalse();
        answer.Finished.ShouldBeTrue();
        answer.Counters.ShouldBe([new KernelCounter("nftknock", "team_grants_c1", 9, 3, 1500, "bob")]);
    }

    [Fact]
    public void A_dump_the_kernel_marks_interrupted_is_said_so_and_other_requests_answers_are_skipped()
    {
        var answer = new NftMessages.Answer();
        NftMessages.Read(Join(Message(3, 0x10 | 2, BigEndian32(0)), Acknowledgement(-1, Sequence + 1)), Sequence, answer);

        answer.Interrupted.ShouldBeTrue();
        answer.Errno.ShouldBe(0);
    }

    [Fact]
    public void A_message_or_attribute_that_runs_past_its_datagram_is_refused()
    {
        var message = Message((10 << 8) | 0, 0, Attribute(1, "nftknock\0"u8.ToArray()));
        var attribute = (byte[])message.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(attribute.AsSpan(20), 200);

        Should.Throw<FormatException>(() => Read(message[..^4]));
        Should.Throw<FormatException>(() => Read(attribute));
    }

    [Fact]
    public void A_chain_dump_gives_each_chain_and_a_base_chains_hook_priority_and_policy()
    {
        var request = NftMessages.Chains(Sequence);
        var regular = Message((10 << 8) | 3, 2, Attribute(1, "nftknock\0"u8.ToArray()), Attribute(2, BigEndian64(5)), Attribute(3, "team_step1\0"u8.ToArray()));
        var input = Message(
            (10 << 8) | 3,
            2,
            Attribute(1, "nftknock\0"u8.ToArray()),
            Attribute(2, BigEndian64(7)),
            Attribute(3, "input\0"u8.ToArray()),
            Attribute(0x8000 | 4, [.. Attribute(1, BigEndian32(1)), .. Attribute(2, BigEndian32(unchecked((uint)-10)))]),
            Attribute(5, BigEndian32(1)),
            Attribute(7, "filter\0"u8.ToArray()));

        var answer = Read(regular, input, Message(3, 2, BigEndian32(0)));

        BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(4)).ShouldBe((ushort)((10 << 8) | 4), "NFT_MSG_GETCHAIN");
        BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(6)).ShouldBe((ushort)0x301, "a dump");
        answer.Finished.ShouldBeTrue();
        answer.Chains.ShouldBe([new KernelChain("nftknock", "team_step1", 5), new KernelChain("nftknock", "input", 7, "filter", 1, -10, 1)]);
    }

    [Fact]
    public void The_generation_answer_gives_the_generation()
    {
        var answer = Read(Message((10 << 8) | 15, 0, Attribute(1, BigEndian32(1234))), Acknowledgement(0));

        answer.Generation.ShouldBe(1234u);
    }

    [Fact]
    public void A_fill_is_one_batch_a_flush_then_the_entries_with_key_verdict_and_timeout()
    {
        var entries = Enumerable.Range(0, 401)
            .Select(i => new MapEntry([$"{20000 + i}", $"0x{0x0102030405060708UL + (ulong)i:x16}"], Verdict.Goto("team_step1"), TimeSpan.FromMilliseconds(6709)))
            .ToList();

        var batch = NftMessages.Fill("nftknock", new MapFill("rotating", entries), 100, out var acknowledged)!;

        var messages = Messages(batch);
        messages.Select(m => m.Type).ShouldBe([0x10, (10 << 8) | 14, (10 << 8) | 12, (10 << 8) | 12, 0x11], "begin, flush, two messages of entries, end");
        messages.Select(m => m.Sequence).ShouldBe([100u, 101u, 102u, 103u, 104u]);
        acknowledged.ShouldBe(3);
        BinaryPrimitives.ReadUInt16BigEndian(messages[0].Body.AsSpan(2)).ShouldBe((ushort)10, "the batch is for nf_tables");
        messages[1].Flags.ShouldBe((ushort)0x5);
        messages[1].Body.AsSpan(4).ToArray().ShouldBe([.. Attribute(1, "nftknock\0"u8.ToArray()), .. Attribute(2, "rotating\0"u8.ToArray())], "a delete without elements flushes");
        messages[2].Flags.ShouldBe((ushort)0x405, "NLM_F_CREATE, as nft's add element");

        byte[] first = [.. Attribute(0x8000 | 1, Attribute(1, [0x4e, 0x20, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8])),
            .. Attribute(0x8000 | 2, Attribute(0x8000 | 2, [.. Attribute(1, BigEndian32(unchecked((uint)-4))), .. Attribute(2, "team_step1\0"u8.ToArray())])),
            .. Attribute(4, BigEndian64(6709))];
        var expected = Attribute(0x8000 | 1, first);
        var elements = messages[2].Body.AsSpan(4 + 16 + 16 + 4).ToArray();
        elements[..expected.Length].ShouldBe(expected, "port 20000 in network order in a 4-byte register, the token's 8 bytes, goto team_step1, 6709 ms");
    }

    [Theory]
    [InlineData("70000", "0x0102030405060708")]
    [InlineData("2300", "0x01020304")]
    [InlineData("2300", "1234567890123456789")]
    public void A_fill_of_other_keys_is_left_to_nft(string port, string token)
    {
        NftMessages.Fill("nftknock", new MapFill("rotating", [new MapEntry([port, token], Verdict.Goto("a"))]), 1, out _).ShouldBeNull();
        NftMessages.Fill("nftknock", new MapFill("dispatch", [new MapEntry(["udp", "7000", "x"], Verdict.Goto("a"))]), 1, out _).ShouldBeNull();
    }

    [Fact]
    public void A_batchs_acknowledgements_count_and_the_first_refusal_is_kept()
    {
        int acknowledged = 0, errno = 0;
        NftMessages.ReadAcknowledgements(Join(Acknowledgement(0, 11), Acknowledgement(-2, 12), Acknowledgement(-22, 13), Acknowledgement(0, 50)), 11, 3, ref acknowledged, ref errno);

        acknowledged.ShouldBe(3);
        errno.ShouldBe(2);
    }

    private static List<(int Type, ushort Flags, uint Sequence, byte[] Body)> Messages(byte[] batch)
    {
        var list = new List<(int, ushort, uint, byte[])>();
        for (var offset = 0; offset < batch.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(batch.AsSpan(offset));
            list.Add((
                BinaryPrimitives.ReadUInt16LittleEndian(batch.AsSpan(offset + 4)),
                BinaryPrimitives.ReadUInt16LittleEndian(batch.AsSpan(offset + 6)),
                BinaryPrimitives.ReadUInt32LittleEndian(batch.AsSpan(offset + 8)),
                batch[(offset + 16)..(offset + length)]));
            offset += (length + 3) & ~3;
        }

        return list;
    }

    private static NftMessages.Answer Read(params byte[][] messages)
    {
        var answer = new NftMessages.Answer();
        NftMessages.Read(Join(messages), Sequence, answer);
        return answer;
    }

    private static byte[] Join(params byte[][] messages) => [.. messages.SelectMany(m => m)];

    private static byte[] Acknowledgement(int error, uint sequence = Sequence)
    {
        var body = new byte[4 + 16];
        BinaryPrimitives.WriteInt32LittleEndian(body, error);
        return Message(2, 0, sequence, body);
    }

    /// <summary>A netlink message with an nfgenmsg (family inet) before <paramref name="attributes"/>.</summary>
    private static byte[] Message(int type, ushort flags, params byte[][] attributes) =>
        Message(type, flags, Sequence, [1, 0, 0, 0, .. attributes.SelectMany(a => a)]);

    private static byte[] Message(int type, ushort flags, uint sequence, byte[] body)
    {
        var message = new byte[16 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), (ushort)type);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), sequence);
        body.CopyTo(message, 16);
        return message;
    }

    private static byte[] Attribute(int type, byte[] value)
    {
        var attribute = new byte[(4 + value.Length + 3) & ~3];
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute.AsSpan(2), (ushort)type);
        value.CopyTo(attribute, 4);
        return attribute;
    }

    private static byte[] UserData(byte type, string text)
    {
        var value = Encoding.UTF8.GetBytes(text + "\0");
        return [type, (byte)value.Length, .. value];
    }

    private static byte[] BigEndian32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }
}
