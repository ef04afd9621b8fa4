using System.Globalization;
using System.Text;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Nftables;

// Set elements and their values.
public static partial class NftJson
{
    private static void ReadElements(ref JsonScanner reader, ReadOnlySpan<byte> source, SetFields set, bool countOnly)
    {
        if (reader.TokenType != JsonToken.StartArray)
        {
            throw new FormatException("nft -j output has set elements that are not an array");
        }

        while (Next(ref reader) != JsonToken.EndArray)
        {
            if (set.IsMap)
            {
                ReadEntry(ref reader, source, set);
            }
            else if (countOnly)
            {
                // Counted whole, skipping each element: no value is decoded and nothing is allocated.
                reader.Skip();
                set.Counted++;
            }
            else
            {
                set.Elements.Add(ReadElement(ref reader, source));
            }
        }
    }

    /// <summary>A set element: a value, or with a timeout wrapped as <c>{"elem": {"val": ..., "timeout": s, "expires": s}}</c>.</summary>
    private static LiveElement ReadElement(ref JsonScanner reader, ReadOnlySpan<byte> source)
    {
        if (reader.TokenType == JsonToken.StartObject && FirstProperty(reader, "elem"u8))
        {
            NextProperty(ref reader);
            var (value, _, _, expires) = ReadWrapped(ref reader, source, parts: false);
            SkipRest(ref reader);
            return new LiveElement(value!, expires);
        }

        return new LiveElement(Value(ref reader, source), null);
    }

    /// <summary>
    /// A wrapped element's value (a set's, as one string) or key parts (a map's), timeout in seconds and
    /// time left in milliseconds. A set's value is read whole: a busy door lists 65,536 grants, one string each.
    /// </summary>
    private static (string? Value, List<string>? Key, long? Timeout, long? ExpiresMs) ReadWrapped(ref JsonScanner reader, ReadOnlySpan<byte> source, bool parts)
    {
        Expect(ref reader, JsonToken.StartObject);
        string? value = null;
        List<string>? key = null;
        long? timeout = null, expires = null;
        while (NextProperty(ref reader))
        {
            var property = reader;
            Next(ref reader);
            if (property.ValueTextEquals("val"u8) && parts)
            {
                key = KeyParts(ref reader, source);
            }
            else if (property.ValueTextEquals("val"u8))
            {
                value = Value(ref reader, source);
            }
            else if (property.ValueTextEquals("timeout"u8))
            {
                timeout = reader.GetInt64();
            }
            else if (property.ValueTextEquals("expires"u8))
            {
                expires = reader.GetInt64() * 1000;
            }
            else
            {
                reader.Skip();
            }
        }

        return value is null && key is null
            ? throw new FormatException("nft -j output has a set element without a value")
            : (value, key, timeout, expires);
    }

    /// <summary>A key's parts: those of a <c>concat</c>, or the one value.</summary>
    private static List<string> KeyParts(ref JsonScanner reader, ReadOnlySpan<byte> source)
    {
        if (reader.TokenType == JsonToken.StartObject && FirstProperty(reader, "concat"u8))
        {
            NextProperty(ref reader);
            var parts = ReadValues(ref reader, source);
            SkipRest(ref reader);
            return parts;
        }

        return [Value(ref reader, source)];
    }

    /// <summary>An element's value as status and drift show it: <c>198.18.1.2</c>, <c>10.0.0.0/8</c>, <c>tcp . 22</c>.</summary>
    private static string Value(ref JsonScanner reader, ReadOnlySpan<byte> source)
    {
        switch (reader.TokenType)
        {
            case JsonToken.String:
                return reader.GetString()!;
            case JsonToken.Number:
                return Encoding.UTF8.GetString(reader.ValueSpan);
            case JsonToken.StartObject when FirstProperty(reader, "prefix"u8):
                NextProperty(ref reader);
                var prefix = ReadPrefix(ref reader);
                SkipRest(ref reader);
                return prefix;
            case JsonToken.StartObject when FirstProperty(reader, "range"u8):
                NextProperty(ref reader);
                var range = ReadValues(ref reader, source);
                SkipRest(ref reader);
                return range.Count == 2 ? $"{range[0]}-{range[1]}" : throw new FormatException("nft -j output has a range without two ends");
            case JsonToken.StartObject when FirstProperty(reader, "concat"u8):
                NextProperty(ref reader);
                var parts = ReadValues(ref reader, source);
                SkipRest(ref reader);
                return string.Join(" . ", parts);
            default:
                return Raw(ref reader, source);
        }
    }

    private static string ReadPrefix(ref JsonScanner reader)
    {
        Expect(ref reader, JsonToken.StartObject);
        string? address = null;
        int? length = null;
        while (NextProperty(ref reader))
        {
            var property = reader;
            Next(ref reader);
            if (property.ValueTextEquals("addr"u8))
            {
                address = reader.GetString();
            }
            else if (property.ValueTextEquals("len"u8))
            {
                length = reader.GetInt32();
            }
            else
            {
                reader.Skip();
            }
        }

        return address is not null && length is not null
            ? string.Create(CultureInfo.InvariantCulture, $"{address}/{length}")
            : throw new FormatException("nft -j output has a prefix without an address or a length");
    }

    private static List<string> ReadValues(ref JsonScanner reader, ReadOnlySpan<byte> source)
    {
        Expect(ref reader, JsonToken.StartArray);
        var values = new List<string>(2);
        while (Next(ref reader) != JsonToken.EndArray)
        {
            values.Add(Value(ref reader, source));
        }

        return values;
    }

    /// <summary>The exact text of the current value, for values status has no better form for.</summary>
    private static string Raw(ref JsonScanner reader, ReadOnlySpan<byte> source)
    {
        if (reader.TokenType is not (JsonToken.StartObject or JsonToken.StartArray))
        {
            return Encoding.UTF8.GetString(source.Slice(reader.TokenStartIndex, reader.BytesConsumed - reader.TokenStartIndex));
        }

        var start = reader.TokenStartIndex;
        reader.Skip();
        return Encoding.UTF8.GetString(source[start..(reader.TokenStartIndex + 1)]);
    }
}
