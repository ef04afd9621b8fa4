using NftKnock.Core.Model;

namespace NftKnock.Core.Ruleset.Model;

/// <summary>
/// One field of a set's or map's key: the expression a <c>typeof</c> declares it with, and the type
/// nft's JSON lists for it. The one mapping from the model's key types to nft's JSON types.
/// </summary>
public sealed record KeyField(string Expression, string JsonType)
{
    /// <summary>
    /// The port a connection was addressed to before DNAT. nft 1.0.6 cannot declare a set by
    /// <c>typeof ct original proto-dst</c>, so a key with it is declared by its type.
    /// </summary>
    public static readonly KeyField CtOriginalProtoDst = new("ct original proto-dst", "inet_service") { ByType = true };

    /// <summary>An IPv4 source address.</summary>
    public static readonly KeyField IpSaddr = new("ip saddr", "ipv4_addr");

    /// <summary>An IPv6 source address.</summary>
    public static readonly KeyField Ip6Saddr = new("ip6 saddr", "ipv6_addr");

    /// <summary>An IPv4 destination address.</summary>
    public static readonly KeyField IpDaddr = new("ip daddr", "ipv4_addr");

    /// <summary>An IPv6 destination address.</summary>
    public static readonly KeyField Ip6Daddr = new("ip6 daddr", "ipv6_addr");

    /// <summary>The 8 bytes after the UDP header: a rotating knock's token.</summary>
    public static readonly KeyField Token = new("@th,64,64", "integer");

    /// <summary>The transport protocol.</summary>
    public static readonly KeyField L4Proto = new("meta l4proto", "inet_proto");

    /// <summary>The destination port of TCP or UDP.</summary>
    public static readonly KeyField ThDport = new("th dport", "inet_service");

    /// <summary>The destination port of UDP.</summary>
    public static readonly KeyField UdpDport = new("udp dport", "inet_service");

    /// <summary>
    /// A field as nft's JSON lists it: by its type alone (<c>ipv4_addr</c>), since the listing does not
    /// say which expression the set was declared with. Declared by type, so a listed key can be written back.
    /// </summary>
    public static KeyField Listed(string jsonType) => new(jsonType, jsonType) { ByType = true };

    /// <summary>Whether a set with this field must be declared with <c>type</c> instead of <c>typeof</c>.</summary>
    public bool ByType { get; init; }

    /// <summary>The source address field of <paramref name="family"/>.</summary>
    public static KeyField Saddr(Families family) => family == Families.IPv4 ? IpSaddr : Ip6Saddr;

    /// <summary>The destination address field of <paramref name="family"/>.</summary>
    public static KeyField Daddr(Families family) => family == Families.IPv4 ? IpDaddr : Ip6Daddr;

    /// <summary>The key as a <c>typeof</c> declares it: <c>@th,64,64 . ip saddr</c>.</summary>
    public static string TypeofOf(IReadOnlyList<KeyField> key) => string.Join(" . ", key.Select(f => f.Expression));

    /// <summary>The key's declaration: <c>typeof @th,64,64 . ip saddr</c>, or <c>type inet_service</c> when a field has no typeof.</summary>
    public static string DeclarationOf(IReadOnlyList<KeyField> key) =>
        key.Any(f => f.ByType) ? $"type {string.Join(" . ", key.Select(f => f.JsonType))}" : $"typeof {TypeofOf(key)}";

    /// <summary>The key's type as nft's JSON lists it, joined as the JSON reader joins it: <c>integer . ipv4_addr</c>.</summary>
    public static string JsonTypeOf(IReadOnlyList<KeyField> key) => string.Join(" . ", key.Select(f => f.JsonType));
}
