namespace NftKnock.Server.Nftables;

/// <summary>The kinds of <see cref="JsonValue"/>.</summary>
internal enum JsonKind
{
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}
