using System.Globalization;
using System.Text;
using NftKnock.Core.Ruleset;

namespace NftKnock.Nftables;

/// <summary>Reads the JSON that <c>nft -j list table inet T</c> prints (schema version 1).</summary>
/// <remarks>
/// A forward-only reader over nft's UTF-8 bytes, never a document: a busy door lists hundreds of
/// thousands of elements, and status must read them in a fraction of a second (see <see cref="JsonScanner"/>).
/// </remarks>
public static class NftJson
{
    /// <summary>The JSON schema version this reader understands.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Parses a listing of one table.</summary>
    /// <exception cref="FormatException">The JSON is not a table listing this reader understands.</exception>
    public static TableState ReadTable(string json) => ReadTable(Encoding.UTF8.GetBytes(json));

    /// <summary>Parses a listing of one table from the UTF-8 bytes nft printed.</summary>
    /// <exception cref="FormatException">The JSON is not a table listing this reader understands.</exception>
    public static TableState ReadTable(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new JsonScanner(utf8);
            var table = new TableBuilder();
            Expect(ref reader, JsonToken.StartObject);
            var sawItems = false;
            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("nftables"u8))
                {
                    Expect(ref reader, JsonToken.StartArray);
                    ReadItems(ref reader, utf8, table);
                    sawItems = true;
                }
                else
                {
                    SkipValue(ref reader);
                }
            }

            return sawItems ? table.Build() : throw new FormatException("nft -j output has no nftables array");
        }
        catch (OverflowException e)
        {
            throw new FormatException($"nft -j output has a number out of range ({e.Message})", e);
        }
    }

    private static void ReadItems(ref JsonScanner reader, ReadOnlySpan<byte> source, TableBuilder table)
    {
        while (Next(ref reader) != JsonToken.EndArray)
        {
            if (reader.TokenType != JsonToken.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("metainfo"u8))
                {
                    CheckSchema(ref reader);
                }
                else if (reader.ValueTextEquals("table"u8))
                {
                    table.Name = ReadNamed(ref reader).Name;
                }
                else if (reader.ValueTextEquals("chain"u8))
                {
                    table.Chains.Add(ReadNamed(ref reader).Name ?? throw new FormatException("nft -j output has a chain without a name"));
                }
                else if (reader.ValueTextEquals("counter"u8))
                {
                    var (name, packets) = ReadNamed(ref reader);
                    table.Counters[name ?? throw new FormatException("nft -j output has a counter without a name")] = packets;
                }
                else if (reader.ValueTextEquals("set"u8))
                {
                    ReadSet(ref reader, source, table, isMap: false);
                }
                else if (reader.ValueTextEquals("map"u8))
                {
                    ReadSet(ref reader, source, table, isMap: true);
                }
                else
                {
                    SkipValue(ref reader);
                }
            }
        }
    }

    private static void CheckSchema(ref JsonScanner reader)
    {
        Expect(ref reader, JsonToken.StartObject);
        int? version = null;
        while (NextProperty(ref reader))
        {
            var property = reader;
            Next(ref reader);
            if (property.ValueTextEquals("json_schema_version"u8))
            {
                version = reader.GetInt32();
            }
            else
            {
                reader.Skip();
            }
        }

        if (version != SchemaVersion)
        {
            throw new FormatException(version is null
                ? "nft -j output has no json_schema_version"
                : string.Create(CultureInfo.InvariantCulture, $"nft prints JSON schema version {version}; nftknock reads version {SchemaVersion}"));
        }
    }

    /// <summary>Reads an object's <c>name</c> and, for counters, <c>packets</c>; skips the rest.</summary>
    private static (string? Name, long Packets) ReadNamed(ref JsonScanner reader)
    {
        Expect(ref reader, JsonToken.StartObject);
        string? name = null;
        long packets = 0;
        while (NextProperty(ref reader))
        {
            var property = reader;
            Next(ref reader);
            if (property.ValueTextEquals("name"u8))
            {
                name = reader.GetString();
            }
            else if (property.ValueTextEquals("packets"u8))
            {
                packets = reader.GetInt64();
            }
            else
            {
                reader.Skip();
            }
        }

        return (name, packets);
    }

    private static void ReadSet(ref JsonScanner reader, ReadOnlySpan<byte> source, TableBuilder table, bool isMap)
    {
        Expect(ref reader, JsonToken.StartObject);
        string? name = null;
        var type = string.Empty;
        List<string> flags = [];
        List<SetElement> elements = [];
        var mapElements = ReadOnlySpan<byte>.Empty;
        while (NextProperty(ref reader))
        {
            var property = reader;
            Next(ref reader);
            if (property.ValueTextEquals("name"u8))
            {
                name = reader.GetString();
            }
            else if (property.ValueTextEquals("type"u8))
            {
                type = reader.TokenType == JsonToken.String ? reader.GetString()! : string.Join(" . ", ReadStrings(ref reader));
            }
            else if (property.ValueTextEquals("flags"u8))
            {
                flags = ReadStrings(ref reader);
            }
            else if (property.ValueTextEquals("elem"u8) && !isMap)
            {
                ReadElements(ref reader, source, elements);
            }
            else if (property.ValueTextEquals("elem"u8))
            {
                // Only the dispatch map's entries are kept, and the name may come after them.
                var start = reader.TokenStartIndex;
                reader.Skip();
                mapElements = source[start..(reader.TokenStartIndex + 1)];
            }
            else
            {
                reader.Skip();
            }
        }

        var set = new TableSet(name ?? throw new FormatException("nft -j output has a set without a name"), type, isMap, flags, elements);
        table.Sets[set.Name] = set;
        if (isMap && set.Name == Names.Dispatch && !mapElements.IsEmpty)
        {
            var entries = new JsonScanner(mapElements);
            ReadDispatch(ref entries, mapElements, table.Dispatch);
        }
    }

    private static List<string> ReadStrings(ref JsonScanner reader)
    {
        if (reader.TokenType != JsonToken.StartArray)
        {
            throw new FormatException("nft -j output has a list that is not an array");
        }

        var strings = new List<string>();
        while (Next(ref reader) != JsonToken.EndArray)
        {
            strings.Add(reader.GetString()!);
        }

        return strings;
    }

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

    /// <summary>Whether the object the reader is on starts with this property, without moving the reader.</summary>
    private static bool FirstProperty(JsonScanner lookahead, ReadOnlySpan<byte> name) =>
        lookahead.Read() && lookahead.TokenType == JsonToken.PropertyName && lookahead.ValueTextEquals(name);

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool NextProperty(ref JsonScanner reader)
    {
        Next(ref reader);
        return reader.TokenType switch
        {
            JsonToken.PropertyName => true,
            JsonToken.EndObject => false,
            _ => throw new FormatException("nft -j output has an object that does not close"),
        };
    }

    /// <summary>Skips the value of the property the reader is on.</summary>
    private static void SkipValue(ref JsonScanner reader)
    {
        Next(ref reader);
        reader.Skip();
    }

    /// <summary>Skips the remaining properties of the current object, up to its end.</summary>
    private static void SkipRest(ref JsonScanner reader)
    {
        while (NextProperty(ref reader))
        {
            SkipValue(ref reader);
        }
    }

    private static void Expect(ref JsonScanner reader, JsonToken type)
    {
        if (Next(ref reader) != type)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"nft -j output has {reader.TokenType} where {type} belongs"));
        }
    }

    private static JsonToken Next(ref JsonScanner reader) =>
        reader.Read() ? reader.TokenType : throw new FormatException("nft -j output ends early");

    private sealed class TableBuilder
    {
        public string? Name { get; set; }

        public Dictionary<string, TableSet> Sets { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> Counters { get; } = new(StringComparer.Ordinal);

        public List<string> Chains { get; } = [];

        public List<DispatchEntry> Dispatch { get; } = [];

        public TableState Build() =>
            new(Name ?? throw new FormatException("nft -j output has no table"), new NameOrder<TableSet>(Sets), new NameOrder<long>(Counters), Chains, Dispatch);
    }
}
