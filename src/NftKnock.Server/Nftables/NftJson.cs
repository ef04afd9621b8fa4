using System.Globalization;
using System.Text;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Nftables;

/// <summary>Reads the JSON that <c>nft -j list table inet T</c> prints (schema version 1).</summary>
/// <remarks>
/// A forward-only reader over nft's UTF-8 bytes, never a document: a busy door lists hundreds of
/// thousands of elements, and status must read them in a fraction of a second (see <see cref="JsonScanner"/>).
/// </remarks>
public static partial class NftJson
{
    /// <summary>The JSON schema version this reader understands.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Parses a listing of one table.</summary>
    /// <exception cref="FormatException">The JSON is not a table listing this reader understands.</exception>
    public static TableState ReadTable(string json) => ReadTable(Encoding.UTF8.GetBytes(json));

    /// <summary>Parses a listing of one table from the UTF-8 bytes nft printed.</summary>
    /// <exception cref="FormatException">The JSON is not a table listing this reader understands.</exception>
    public static TableState ReadTable(ReadOnlySpan<byte> utf8) => ReadTable(utf8, countOnly: false);

    /// <summary>
    /// Parses a listing of one table, but only counts the elements of sets (<see cref="TableSet.Count"/>;
    /// <see cref="TableSet.Elements"/> stays empty): what metrics needs, without a string per grant.
    /// The dispatch map's entries are read as usual.
    /// </summary>
    /// <exception cref="FormatException">The JSON is not a table listing this reader understands.</exception>
    public static TableState ReadCounts(ReadOnlySpan<byte> utf8) => ReadTable(utf8, countOnly: true);

    private static TableState ReadTable(ReadOnlySpan<byte> utf8, bool countOnly)
    {
        try
        {
            var reader = new JsonScanner(utf8);
            var table = new TableBuilder { CountOnly = countOnly };
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
                    (table.Name, _, table.Handle, _) = ReadNamed(ref reader);
                }
                else if (reader.ValueTextEquals("chain"u8))
                {
                    table.Chains.Add(ReadNamed(ref reader).Name ?? throw new FormatException("nft -j output has a chain without a name"));
                }
                else if (reader.ValueTextEquals("counter"u8))
                {
                    var (name, packets, _, comment) = ReadNamed(ref reader);
                    if (name is null)
                    {
                        throw new FormatException("nft -j output has a counter without a name");
                    }

                    table.Counters[name] = packets;
                    if (comment is not null)
                    {
                        table.Comments[name] = comment;
                    }
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

    /// <summary>Reads an object's <c>name</c>, <c>handle</c> and, for counters, <c>packets</c> and <c>comment</c>; skips the rest.</summary>
    private static (string? Name, long Packets, long Handle, string? Comment) ReadNamed(ref JsonScanner reader)
    {
        Expect(ref reader, JsonToken.StartObject);
        string? name = null;
        string? comment = null;
        long packets = 0;
        long handle = 0;
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
            else if (property.ValueTextEquals("handle"u8))
            {
                handle = reader.GetInt64();
            }
            else if (property.ValueTextEquals("comment"u8) && reader.TokenType == JsonToken.String)
            {
                comment = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return (name, packets, handle, comment);
    }

    private static void ReadSet(ref JsonScanner reader, ReadOnlySpan<byte> source, TableBuilder table, bool isMap)
    {
        Expect(ref reader, JsonToken.StartObject);
        string? name = null;
        var type = string.Empty;
        List<string> flags = [];
        List<SetElement> elements = [];
        var counted = 0;
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
            else if (property.ValueTextEquals("elem"u8) && !isMap && table.CountOnly)
            {
                counted = CountElements(ref reader);
            }
            else if (property.ValueTextEquals("elem"u8) && !isMap)
            {
                ReadElements(ref reader, source, elements);
            }
            else if (property.ValueTextEquals("elem"u8))
            {
                // Only the dispatch and protected maps' entries are kept, and the name may come after them.
                var start = reader.TokenStartIndex;
                reader.Skip();
                mapElements = source[start..(reader.TokenStartIndex + 1)];
            }
            else
            {
                reader.Skip();
            }
        }

        var set = new TableSet(name ?? throw new FormatException("nft -j output has a set without a name"), type, isMap, flags, elements)
        {
            Counted = table.CountOnly && !isMap ? counted : null,
        };
        table.Sets[set.Name] = set;
        // Guard mode dispatches protected ports from their own map (prerouting): status and drift read both as one.
        if (isMap && set.Name is (Names.Dispatch or Names.Protected) && !mapElements.IsEmpty)
        {
            var entries = new JsonScanner(mapElements);
            ReadDispatch(ref entries, mapElements, table.Dispatch);
        }
    }
}
