using NftKnock.Core.Model;
using NftKnock.Server.Nftables;

namespace NftKnock.Server.Tables;

/// <summary>
/// What a rule's matches let through as far as the layer-4 protocol and the destination port go: the
/// protocols it may carry, the destination ports (null: no port match), why its ports cannot be read,
/// and whether its protocols come from a named set (then any of them may be in it). Narrowed one match
/// at a time; the one narrowing of port matches that the nat walk (published ports, DNAT targets),
/// iptables-legacy's DNAT rules and doctor's host firewall check all read rules through.
/// </summary>
internal sealed record PortMatch(IReadOnlyList<Protocol> Protocols, PortSet? Ports, string? Unreadable, bool ProtocolsGuessed = false)
{
    /// <summary>A rule with no protocol or port match: both protocols, every port.</summary>
    public static PortMatch Any { get; } = new([Protocol.Tcp, Protocol.Udp], null, null);

    /// <summary>
    /// Narrows by one match expression as nft's JSON writes it: <c>meta l4proto</c>, <c>ip protocol</c>,
    /// <c>ip6 nexthdr</c>, or <c>tcp</c>/<c>udp</c>/<c>th dport</c>, each with <c>!=</c> or not. False, and
    /// <paramref name="narrowed"/> unchanged, when the match is on anything else.
    /// </summary>
    public bool TryNarrow(JsonValue match, out PortMatch narrowed)
    {
        narrowed = this;
        var negated = match.Text("op") == "!=";
        var left = match.Get("left");
        var right = match.Get("right");
        if (left.TryGetProperty("meta", out var meta) && meta.Text("key") == "l4proto")
        {
            narrowed = KeepProtocols(right, negated);
            return true;
        }

        if (!left.TryGetProperty("payload", out var payload))
        {
            return false;
        }

        var (proto, field) = (payload.Text("protocol"), payload.Text("field"));
        if ((proto, field) is ("ip", "protocol") or ("ip6", "nexthdr"))
        {
            narrowed = KeepProtocols(right, negated);
            return true;
        }

        if (field != "dport" || proto is not ("tcp" or "udp" or "th"))
        {
            return false;
        }

        var path = proto == "th" ? this : Keep(p => p.Name() == proto, negated: false);
        if (PortSet.Read(right) is not { } ports)
        {
            var why = right.Kind == JsonKind.String && right.GetString().StartsWith('@') ? ServerTexts.PortsInNamedSet(right.GetString()) : ServerTexts.PortsUnreadable;
            narrowed = path with { Unreadable = path.Unreadable ?? why };
            return true;
        }

        narrowed = path.Keep(ports, negated);
        return true;
    }

    /// <summary>Narrowed to the protocols <paramref name="listed"/> names (with <paramref name="negated"/>, to the others).</summary>
    public PortMatch Keep(Func<Protocol, bool> listed, bool negated) =>
        this with { Protocols = Protocols.Where(p => listed(p) != negated).ToList() };

    /// <summary>Narrowed by a destination port match of <paramref name="ports"/> (with <paramref name="negated"/>, of every other port).</summary>
    public PortMatch Keep(PortSet ports, bool negated)
    {
        ports = negated ? PortSet.All.Except(ports.Intervals) : ports;
        return this with { Ports = Ports is { } before ? before.Intersect(ports) : ports };
    }

    /// <summary>Whether a connection to some port of <paramref name="range"/> may get through; unread ports may be any.</summary>
    public bool MayPass(PortRange range) => Protocols.Contains(range.Protocol) && (Ports is null || Ports.Overlaps(range.First, range.Last));

    /// <summary>
    /// Whether every connection to <paramref name="port"/> over <paramref name="protocol"/> gets through:
    /// false when none does, null when the rule's protocols or ports cannot be read to tell.
    /// </summary>
    public bool? Holds(int port, Protocol protocol)
    {
        if (!Protocols.Contains(protocol) || (Ports is { } ports && !ports.Overlaps(port, port)))
        {
            return false;
        }

        return Unreadable is null && !ProtocolsGuessed ? true : null;
    }

    private PortMatch KeepProtocols(JsonValue right, bool negated)
    {
        IReadOnlyList<JsonValue> named = right.TryGetProperty("set", out var set) && set.Kind == JsonKind.Array ? set.Items : [right];
        if (named.Any(n => n.Kind is not (JsonKind.String or JsonKind.Number)) || (right.Kind == JsonKind.String && right.GetString().StartsWith('@')))
        {
            // A named set of protocols: any of them may be in it.
            return this with { ProtocolsGuessed = true };
        }

        var listed = named.Select(ProtocolName).ToHashSet(StringComparer.Ordinal);
        return Keep(p => listed.Contains(p.Name()), negated);
    }

    private static string ProtocolName(JsonValue named) =>
        named.Kind == JsonKind.Number ? (named.TryGetInt32(out var number) ? number : -1) switch { 6 => "tcp", 17 => "udp", _ => "?" } : named.GetString();
}
