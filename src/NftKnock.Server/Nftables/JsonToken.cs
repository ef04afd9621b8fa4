namespace NftKnock.Server.Nftables;

/// <summary>The kinds of token <see cref="JsonScanner"/> reads.</summary>
internal enum JsonToken
{
    None,
    StartObject,
    EndObject,
    StartArray,
    EndArray,
    PropertyName,
    String,
    Number,
    True,
    False,
    Null,
}
