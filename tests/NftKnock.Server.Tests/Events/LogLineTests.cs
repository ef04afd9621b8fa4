using NftKnock.Core.Model;
using NftKnock.Server.Events;

namespace NftKnock.Server.Tests.Events;

public sealed class LogLineTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 17, 3, 4, TimeSpan.Zero);

    // Lines as the kernel wrote them (nf_log_syslog, kernel 6.18), with nftknock's prefixes.
    private const string V4 = "IN=veth0 OUT= MAC=16:39:95:85:0f:2c:c2:18:e6:85:99:ca:08:00 SRC=198.18.0.2 DST=198.18.0.1 LEN=29 TOS=0x00 PREC=0x00 TTL=64 ID=33019 DF PROTO=UDP SPT=42771 DPT=7000 LEN=9 ";
    private const string V6 = "IN=veth0 OUT= MAC=16:39:95:85:0f:2c:c2:18:e6:85:99:ca:86:dd SRC=2001:0db8:0000:0000:0000:0000:0000:0002 DST=2001:0db8:0000:0000:0000:0000:0000:0001 LEN=49 TC=0 HOPLIMIT=64 FLOWLBL=121041 PROTO=UDP SPT=49147 DPT=9000 LEN=9 ";

    private static KnockEvent? Parse(string message) => LogLine.TryParse(new KernelRecord(At, message), out var knock) ? knock : null;

    [Fact]
    public void A_grant_line_of_a_static_door_has_door_source_family_interface_and_port()
    {
        Parse("nftknock ssh open: " + V4).ShouldBe(new KnockEvent(At, EventKind.Grant, "ssh", null, "198.18.0.2", Families.IPv4, "veth0", 7000, "udp"));
    }

    [Fact]
    public void A_client_grant_over_ipv6_names_the_client_and_the_source_in_canonical_form()
    {
        Parse("nftknock ssh open client=alice: " + V6).ShouldBe(new KnockEvent(At, EventKind.Grant, "ssh", "alice", "2001:db8::2", Families.IPv6, "veth0", 9000, "udp"));
    }

    [Fact]
    public void Replay_lines_are_replays_with_or_without_a_client()
    {
        Parse("nftknock db replay: " + V4)!.Kind.ShouldBe(EventKind.Replay);
        Parse("nftknock db replay client=bob.laptop-2: " + V4).ShouldBe(new KnockEvent(At, EventKind.Replay, "db", "bob.laptop-2", "198.18.0.2", Families.IPv4, "veth0", 7000, "udp"));
    }

    [Theory]
    [InlineData("nftknock ssh opened: " + V4)]
    [InlineData("nftknok ssh open: " + V4)]
    [InlineData(" nftknock ssh open: " + V4)]
    [InlineData("kernel: nftknock ssh open: " + V4)]
    [InlineData("nftknock SSH open: " + V4)]
    [InlineData("nftknock ssh  open: " + V4)]
    [InlineData("nftknock ssh open : " + V4)]
    [InlineData("nftknock ssh open:" + V4)]
    [InlineData("nftknock 1ssh open: " + V4)]
    [InlineData("nftknock ssh_door_name_too_long open: " + V4)]
    [InlineData("nftknock ssh open client=: " + V4)]
    [InlineData("nftknock ssh open client=Alice: " + V4)]
    [InlineData("nftknock ssh open client=al ice: " + V4)]
    [InlineData("nftknock ssh open user=alice: " + V4)]
    [InlineData("nftknock ssh open client=alice extra: " + V4)]
    [InlineData("nftknock ssh open client=a234567890123456789012345678901234: " + V4)]
    [InlineData("nftknock ssh open: ")]
    [InlineData("nftknock ssh open: SRC=198.18.0.2 IN=veth0")]
    [InlineData("nftknock ssh open: IN=veth0 OUT= DST=198.18.0.1 PROTO=UDP")]
    [InlineData("nftknock ssh open: IN=veth0 SRC=198.018.0.2 DPT=7000")]
    [InlineData("nftknock ssh open: IN=veth0 SRC=198.18.2 DPT=7000")]
    [InlineData("nftknock ssh open: IN=veth0 SRC=fe80::1%eth0 DPT=7000")]
    [InlineData("nftknock ssh open: IN=veth0 SRC=2001:db8::/32 DPT=7000")]
    [InlineData("nftknock ssh open: IN=veth0 SRC=example.org DPT=7000")]
    [InlineData("nftknock ssh open: IN=veth0 SRC= DPT=7000")]
    public void Anything_but_an_exact_line_is_not_an_event(string message) => Parse(message).ShouldBeNull();

    [Fact]
    public void An_overlong_line_is_not_an_event()
    {
        Parse("nftknock ssh open: " + V4 + new string('x', LogLine.MaxLength)).ShouldBeNull();
    }

    [Fact]
    public void A_field_injected_through_an_interface_name_stays_the_interface_names_value()
    {
        // Interface names may hold '='; the key is what comes before the first one, and each key counts once.
        var knock = Parse("nftknock ssh open: IN=SRC=203.0.113.9 OUT= SRC=198.18.0.2 DST=198.18.0.1 PROTO=UDP SPT=1 DPT=7000 SRC=203.0.113.7 ")!;

        knock.Source.ShouldBe("198.18.0.2");
        knock.Interface.ShouldBeNull();
    }

    [Fact]
    public void The_packet_quoted_in_an_icmp_error_is_not_read()
    {
        var knock = Parse("nftknock ssh open: IN=veth0 OUT= SRC=198.18.0.2 DST=198.18.0.1 PROTO=ICMP TYPE=3 CODE=3 [SRC=198.18.0.1 DST=198.18.0.2 PROTO=UDP SPT=7000 DPT=1 ] ")!;

        knock.Source.ShouldBe("198.18.0.2");
        knock.Port.ShouldBeNull();
        knock.Protocol.ShouldBeNull();
    }

    [Fact]
    public void Interface_names_nftknock_cannot_show_plainly_are_left_out()
    {
        Parse("nftknock ssh open: IN=we\"ird OUT= SRC=198.18.0.2 DPT=7000 ")!.Interface.ShouldBeNull();
        Parse("nftknock ssh open: IN=eth0.100 OUT= SRC=198.18.0.2 DPT=99999 ")!.ShouldSatisfyAllConditions(
            k => k.Interface.ShouldBe("eth0.100"),
            k => k.Port.ShouldBeNull());
    }

    [Fact]
    public void Events_print_as_one_line_of_text_or_one_json_object()
    {
        var knock = Parse("nftknock ssh open client=alice: " + V4)!;

        EventFormat.Text(knock).ShouldBe("2026-11-26T17:03:04Z grant door=ssh client=alice source=198.18.0.2 family=ipv4 interface=veth0 port=7000/udp");
        EventFormat.Json(knock).ShouldBe("""{"time":"2026-11-26T17:03:04.000Z","kind":"grant","door":"ssh","client":"alice","source":"198.18.0.2","family":"ipv4","interface":"veth0","port":7000,"protocol":"udp"}""");
        EventFormat.Json(Parse("nftknock ssh replay: IN= OUT= SRC=198.18.0.2 ")!).ShouldBe("""{"time":"2026-11-26T17:03:04.000Z","kind":"replay","door":"ssh","source":"198.18.0.2","family":"ipv4"}""");
    }
}
