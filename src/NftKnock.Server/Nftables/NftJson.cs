using System.Globalization;
using System.Text;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Nftables;

/// <summary>Reads the JSON that <c>nft -j list table inet T</c> prints (schema version 1) into a <see cref="TableReading"/>.</summary>
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
    public static TableReading ReadTable(string json) => ReadTable(Encoding.UTF8.GetBytes(json));

    /// <summary>Parses a listing of one table from the UTF-8 bytes nft printed.</summary>
    /// <exception cref="FormatException">The JSON is not a table listing this reader understands.</exception>
    public static TableReading ReadTable(ReadOnlySpan<byte> utf8) => ReadTable(utf8, countOnly: false);

    /// <summary>
    /// Parses a listing of one table, but only counts the elements of sets (<see cref="LiveSet.Count"/>;
    /// <see cref="LiveSet.Elements"/> stays empty): what metrics needs, without a string per grant.
    /// Maps' entries are read as usual.
    /// </summary>
    /// <exception cref="FormatException">The JSON is not a table listing this reader understands.</exception>
    public static TableReading ReadCounts(ReadOnlySpan<byte> utf8) => ReadTable(utf8, countOnly: true);

    /// <summary>
    /// Parses nft's narrow listings of <paramref name="table"/>: several documents, one per list command
    /// (<c>list chains inet</c>, <c>list map inet T rotating</c>, ...), which may hold other inet tables'
    /// objects; only <paramref name="table"/>'s are kept. A single listing of the table reads the same way.
    /// </summary>
    /// <exception cref="FormatException">The JSON is not a listing this reader understands.</exception>
    public static TableReading ReadOutline(ReadOnlySpan<byte> utf8, string table) => ReadTable(utf8, countOnly: true, only: table);

    private static TableReading ReadTable(ReadOnlySpan<byte> utf8, bool countOnly, string? only = null)
    {
        try
        {
            var reader = new JsonScanner(utf8);
            var table = new TableBuilder { CountOnly = countOnly, Only = only };
            Expect(ref reader, JsonToken.StartObject);
            do
            {
                if (reader.TokenType != JsonToken.StartObject || !ReadDocument(ref reader, utf8, table))
                {
                    throw new FormatException("nft -j output has no nftables array");
                }
            }
            while (only is not null && reader.Read());

            return table.Build();
        }
        catch (OverflowException e)
        {
            throw new FormatException($"nft -j output has a number out of range ({e.Message})", e);
        }
    }

    /// <summary>Reads one document, <c>{"nftables": [...]}</c>; false when it has no such array.</summary>
    private static bool ReadDocument(ref JsonScanner reader, ReadOnlySpan<byte> utf8, TableBuilder table)
    {
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

        return sawItems;
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
                    ReadTableHeader(ref reader, table);
                }
                else if (reader.ValueTextEquals("chain"u8))
                {
                    ReadChain(ref reader, table);
                }
                else if (reader.ValueTextEquals("rule"u8))
                {
                    ReadRule(ref reader, table);
                }
                else if (reader.ValueTextEquals("counter"u8))
                {
                    ReadCounter(ref reader, table);
                }
                else if (reader.ValueTextEquals("set"u8) || reader.ValueTextEquals("map"u8))
                {
                    ReadSet(ref reader, source, table);
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
}
