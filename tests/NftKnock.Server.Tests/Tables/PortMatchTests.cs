using System.Text;
using NftKnock.Core.Model;
using NftKnock.Server.Nftables;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Tests.Tables;

/// <summary>The one narrowing of a rule's protocol and destination port matches, as nft's JSON writes them.</summary>
public sealed class PortMatchTests
{
    private static JsonValue Match(string left, string right, string op = "==") =>
        JsonValue.Parse(Encoding.UTF8.GetBytes($$$"""{"op": "{{{op}}}", "left": {{{left}}}, "right": {{{right}}}}"""));

    private static string Payload(string protocol, string field) => $$$"""{"payload": {"protocol": "{{{protocol}}}", "field": "{{{field}}}"}}""";

    private const string L4proto = """{"meta": {"key": "l4proto"}}""";

    private static PortMatch Narrowed(params JsonValue[] matches)
    {
        var path = PortMatch.Any;
        foreach (var match in matches)
        {
            path.TryNarrow(match, out path).ShouldBeTrue();
        }

        return path;
    }

    [Fact]
    public void A_tcp_dport_match_keeps_tcp_and_its_ports()
    {
        var path = Narrowed(Match(Payload("tcp", "dport"), """{"set": [22, {"range": [6000, 6100]}]}"""));

        path.Protocols.ShouldBe([Protocol.Tcp]);
        path.Ports!.Intervals.ShouldBe([(22, 22), (6000, 6100)]);
        path.Holds(22, Protocol.Tcp).ShouldBe(true);
        path.Holds(6050, Protocol.Tcp).ShouldBe(true);
        path.Holds(22, Protocol.Udp).ShouldBe(false);
        path.Holds(23, Protocol.Tcp).ShouldBe(false);
    }

    [Fact]
    public void A_th_dport_match_keeps_both_protocols_and_a_negated_one_every_other_port()
    {
        var path = Narrowed(Match(Payload("th", "dport"), "22", "!="));

        path.Protocols.ShouldBe([Protocol.Tcp, Protocol.Udp]);
        path.Ports!.Intervals.ShouldBe([(1, 21), (23, 65535)]);
        path.Holds(22, Protocol.Udp).ShouldBe(false);
        path.Holds(53, Protocol.Udp).ShouldBe(true);
    }

    [Fact]
    public void Port_matches_one_after_another_keep_the_ports_in_all_of_them()
    {
        var path = Narrowed(
            Match(Payload("th", "dport"), """{"range": [1000, 2000]}"""),
            Match(Payload("udp", "dport"), """{"range": [1500, 3000]}"""));

        path.Protocols.ShouldBe([Protocol.Udp]);
        path.Ports!.Intervals.ShouldBe([(1500, 2000)]);
        path.MayPass(new PortRange(1900, 2100, Protocol.Udp)).ShouldBeTrue();
        path.MayPass(new PortRange(2001, 2100, Protocol.Udp)).ShouldBeFalse();
        path.MayPass(new PortRange(1900, 2100, Protocol.Tcp)).ShouldBeFalse();
    }

    [Fact]
    public void Ports_in_a_named_set_are_unreadable_so_any_may_pass_and_none_surely_does()
    {
        var path = Narrowed(Match(Payload("tcp", "dport"), "\"@web_ports\""));

        path.Ports.ShouldBeNull();
        path.Unreadable.ShouldBe(ServerTexts.PortsInNamedSet("@web_ports"));
        path.MayPass(new PortRange(22, 22, Protocol.Tcp)).ShouldBeTrue();
        path.Holds(22, Protocol.Tcp).ShouldBeNull();
        path.Holds(22, Protocol.Udp).ShouldBe(false);
    }

    [Theory]
    [InlineData(L4proto, "\"udp\"", "==", new[] { Protocol.Udp })]
    [InlineData(L4proto, """{"set": ["tcp", "udp"]}""", "==", new[] { Protocol.Tcp, Protocol.Udp })]
    [InlineData("""{"payload": {"protocol": "ip", "field": "protocol"}}""", "6", "==", new[] { Protocol.Tcp })]
    [InlineData("""{"payload": {"protocol": "ip6", "field": "nexthdr"}}""", "\"tcp\"", "!=", new[] { Protocol.Udp })]
    public void Protocol_matches_keep_the_protocols_they_name(string left, string right, string op, Protocol[] kept)
    {
        var path = Narrowed(Match(left, right, op));

        path.Protocols.ShouldBe(kept);
        path.Ports.ShouldBeNull();
        path.Holds(443, kept[0]).ShouldBe(true);
    }

    [Fact]
    public void Protocols_in_a_named_set_may_be_any_but_none_surely_is()
    {
        var path = Narrowed(Match(L4proto, "\"@protocols\""));

        path.Protocols.ShouldBe([Protocol.Tcp, Protocol.Udp]);
        path.ProtocolsGuessed.ShouldBeTrue();
        path.Holds(22, Protocol.Tcp).ShouldBeNull();
    }

    [Theory]
    [InlineData("""{"payload": {"protocol": "ip", "field": "saddr"}}""", "\"198.18.0.2\"")]
    [InlineData("""{"payload": {"protocol": "tcp", "field": "sport"}}""", "22")]
    [InlineData("""{"payload": {"protocol": "sctp", "field": "dport"}}""", "22")]
    [InlineData("""{"meta": {"key": "iifname"}}""", "\"eth0\"")]
    [InlineData("""{"ct": {"key": "state"}}""", "\"new\"")]
    public void A_match_on_anything_else_is_left_to_the_caller(string left, string right)
    {
        PortMatch.Any.TryNarrow(Match(left, right), out var path).ShouldBeFalse();
        path.ShouldBeSameAs(PortMatch.Any);
    }

    [Fact]
    public void Ports_read_from_another_syntax_narrow_the_same_way()
    {
        var ports = PortSet.Of([(80, 80), (443, 443)]);

        PortMatch.Any.Keep(ports, negated: false).Ports!.Intervals.ShouldBe([(80, 80), (443, 443)]);
        PortMatch.Any.Keep(ports, negated: true).Holds(80, Protocol.Tcp).ShouldBe(false);
        PortMatch.Any.Keep(p => p == Protocol.Udp, negated: true).Protocols.ShouldBe([Protocol.Tcp]);
    }
}
