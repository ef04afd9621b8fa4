using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Nftables;

// A map's entries: their keys, timeouts and verdicts.
public static partial class NftJson
{
    /// <summary>A map entry, <c>[key, verdict]</c>: the key is a value, a <c>concat</c> of parts, or wrapped with its timeout.</summary>
    private static void ReadEntry(ref JsonScanner reader, ReadOnlySpan<byte> source, SetFields set)
    {
        if (reader.TokenType != JsonToken.StartArray)
        {
            throw new FormatException("nft -j output has a map entry that is not an array");
        }

        List<string> key;
        long? timeout = null, expires = null;
        Next(ref reader);
        if (reader.TokenType == JsonToken.StartObject && FirstProperty(reader, "elem"u8))
        {
            NextProperty(ref reader);
            (_, var parts, timeout, expires) = ReadWrapped(ref reader, source, parts: true);
            key = parts!;
            SkipRest(ref reader);
        }
        else
        {
            key = KeyParts(ref reader, source);
        }

        Next(ref reader);
        var verdict = ReadVerdict(ref reader);
        while (Next(ref reader) != JsonToken.EndArray)
        {
            reader.Skip();
        }

        set.Entries.Add(new MapEntry(key, verdict, timeout is { } s ? TimeSpan.FromSeconds(s) : null));
        set.Elements.Add(new LiveElement(string.Join(" . ", key), expires));
    }

    /// <summary>A verdict: <c>{"goto": {"target": "ssh_guard"}}</c>, <c>{"jump": ...}</c>, or one without a chain (<c>{"accept": null}</c>).</summary>
    private static Verdict ReadVerdict(ref JsonScanner reader)
    {
        if (reader.TokenType != JsonToken.StartObject || !NextProperty(ref reader))
        {
            throw new FormatException("nft -j output has a map entry without a verdict");
        }

        var action = reader.GetString()!;
        var target = string.Empty;
        if (Next(ref reader) == JsonToken.StartObject)
        {
            while (NextProperty(ref reader))
            {
                var property = reader;
                Next(ref reader);
                if (property.ValueTextEquals("target"u8))
                {
                    target = reader.GetString()!;
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        else
        {
            reader.Skip();
        }

        SkipRest(ref reader);
        return new Verdict(action, target);
    }
}
