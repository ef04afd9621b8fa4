using System.Globalization;
using System.Text;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Nftables;

// Set elements and their values, and the dispatch map's entries.
public static partial class NftJson
{
    private static void ReadElements(ref JsonScanner reader, ReadOnlySpan<byte> source, List<SetElement> elements)
    {
        if (reader.TokenType != JsonToken.StartArray)
        {
            throw new FormatException("nft -j output has set elements that are not an array");
        }

        while (Next(ref reader) != JsonToken.EndArray)
        {
            // Elements with a timeout are wrapped: {"elem": {"val": ..., "timeout": s, "expires": s}}.
            if (reader.TokenType == JsonToken.StartObject && FirstProperty(reader, "elem"u8))
            {
                NextProperty(ref reader);
                elements.Add(ReadWrapped(ref reader, source));
                while (NextProperty(ref reader))
                {
                    SkipValue(ref reader);
                }
            }
            else
            {
                elements.Add(new SetElement(Value(ref reader, source), null));
            }
        }
    }

    /// <summary>Counts a set's elements, skipping each one whole: no value is decoded and nothing is allocated.</summary>
    private static int CountElements(ref JsonScanner reader)
    {
        if (reader.TokenType != JsonToken.StartArray)
        {
            throw new FormatException("nft -j output has set elements that are not an array");
        }

        var count = 0;
        while (Next(ref reader) != JsonToken.EndArray)
        {
            reader.Skip();
            count++;
        }

        return count;
    }

    private static SetElement ReadWrapped(ref JsonScanner reader, ReadOnlySpan<byte> source)
    {
        Expect(ref reader, JsonToken.StartObject);
        string? value = null;
        long? expires = null;
        while (NextProperty(ref reader))
        {
            var property = reader;
            Next(ref reader);
            if (property.ValueTextEquals("val"u8))
            {
                value = Value(ref reader, source);
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

        return new SetElement(value ?? throw new FormatException("nft -j output has a set element without a value"), expires);
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

    private static void ReadDispatch(ref JsonScanner reader, ReadOnlySpan<byte> source, List<DispatchEntry> dispatch)
    {
        Expect(ref reader, JsonToken.StartArray);
        while (Next(ref reader) != JsonToken.EndArray)
        {
            // Map elements are [key, verdict]; the key is {"concat": [proto, port-or-range]}.
            if (reader.TokenType != JsonToken.StartArray)
            {
                reader.Skip();
                continue;
            }

            string? protocol = null, ports = null, target = null;
            Next(ref reader);
            if (reader.TokenType == JsonToken.StartObject && FirstProperty(reader, "concat"u8))
            {
                NextProperty(ref reader);
                var key = ReadValues(ref reader, source);
                SkipRest(ref reader);
                if (key.Count == 2)
                {
                    (protocol, ports) = (key[0], key[1]);
                }
            }
            else
            {
                reader.Skip();
            }

            // The verdict is {"goto": {"target": "ssh_guard"}} (or jump).
            if (Next(ref reader) == JsonToken.StartObject && NextProperty(ref reader))
            {
                target = ReadTarget(ref reader);
                SkipRest(ref reader);
            }
            else
            {
                reader.Skip();
            }

            while (Next(ref reader) != JsonToken.EndArray)
            {
                reader.Skip();
            }

            if (protocol is not null && ports is not null && target is not null)
            {
                dispatch.Add(new DispatchEntry(protocol, ports, target));
            }
        }
    }

    private static string? ReadTarget(ref JsonScanner reader)
    {
        if (Next(ref reader) != JsonToken.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? target = null;
        while (NextProperty(ref reader))
        {
            var property = reader;
            Next(ref reader);
            if (property.ValueTextEquals("target"u8))
            {
                target = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return target;
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
