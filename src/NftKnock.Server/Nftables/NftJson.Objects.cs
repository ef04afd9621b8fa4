using System.Globalization;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Nftables;

// The table, its chains, rules, counters, sets and maps.
public static partial class NftJson
{
    /// <summary>The scalar properties of a listed object; those it does not have stay null or 0.</summary>
    private struct Fields
    {
        public string? Name;
        public string? Comment;
        public string? Chain;
        public string? Hook;
        public string? Policy;
        public long? Priority;
        public long Handle;
        public long Packets;
        public long Bytes;
    }

    /// <summary>Reads an object's scalar properties; skips what else it holds (a rule's statements).</summary>
    private static Fields ReadFields(ref JsonScanner reader)
    {
        Expect(ref reader, JsonToken.StartObject);
        var fields = default(Fields);
        while (NextProperty(ref reader))
        {
            var property = reader;
            Next(ref reader);
            if (reader.TokenType is JsonToken.StartObject or JsonToken.StartArray)
            {
                reader.Skip();
            }
            else if (property.ValueTextEquals("name"u8))
            {
                fields.Name = reader.GetString();
            }
            else if (property.ValueTextEquals("handle"u8))
            {
                fields.Handle = reader.GetInt64();
            }
            else if (property.ValueTextEquals("packets"u8))
            {
                fields.Packets = reader.GetInt64();
            }
            else if (property.ValueTextEquals("bytes"u8))
            {
                fields.Bytes = reader.GetInt64();
            }
            else if (property.ValueTextEquals("comment"u8) && reader.TokenType == JsonToken.String)
            {
                fields.Comment = reader.GetString();
            }
            else if (property.ValueTextEquals("chain"u8))
            {
                fields.Chain = reader.GetString();
            }
            else if (property.ValueTextEquals("hook"u8))
            {
                fields.Hook = reader.GetString();
            }
            else if (property.ValueTextEquals("policy"u8))
            {
                fields.Policy = reader.GetString();
            }
            else if (property.ValueTextEquals("prio"u8))
            {
                fields.Priority = reader.GetInt64();
            }
            else
            {
                reader.Skip();
            }
        }

        return fields;
    }

    private static void ReadTableHeader(ref JsonScanner reader, TableBuilder table)
    {
        var fields = ReadFields(ref reader);
        (table.Name, table.Handle, table.Comment) = (fields.Name, fields.Handle, fields.Comment ?? string.Empty);
    }

    private static void ReadChain(ref JsonScanner reader, TableBuilder table)
    {
        var fields = ReadFields(ref reader);
        var name = fields.Name ?? throw new FormatException("nft -j output has a chain without a name");
        var hook = fields.Hook is { } h
            ? new NftHook(h, (fields.Priority ?? 0).ToString(CultureInfo.InvariantCulture), fields.Policy ?? "accept")
            : null;
        table.Objects.Add(new NftChain(name, []) { Hook = hook });
        table.Chains[name] = fields.Handle;
    }

    private static void ReadRule(ref JsonScanner reader, TableBuilder table)
    {
        var fields = ReadFields(ref reader);
        var chain = fields.Chain ?? throw new FormatException("nft -j output has a rule without a chain");
        if (!table.Rules.TryGetValue(chain, out var rules))
        {
            table.Rules[chain] = rules = [];
        }

        rules.Add(new LiveRule(fields.Handle, fields.Comment));
    }

    private static void ReadCounter(ref JsonScanner reader, TableBuilder table)
    {
        var fields = ReadFields(ref reader);
        var name = fields.Name ?? throw new FormatException("nft -j output has a counter without a name");
        table.Objects.Add(new NftCounter(name) { Comment = fields.Comment });
        table.Counters[name] = new LiveCounter(fields.Handle, fields.Packets, fields.Bytes);
    }

    private static void ReadSet(ref JsonScanner reader, ReadOnlySpan<byte> source, TableBuilder table)
    {
        Expect(ref reader, JsonToken.StartObject);
        var set = new SetFields();
        while (NextProperty(ref reader))
        {
            var property = reader;
            Next(ref reader);
            if (property.ValueTextEquals("name"u8))
            {
                set.Name = reader.GetString();
            }
            else if (property.ValueTextEquals("type"u8))
            {
                set.Key = reader.TokenType == JsonToken.String ? [reader.GetString()!] : ReadStrings(ref reader);
            }
            else if (property.ValueTextEquals("map"u8))
            {
                set.IsMap = true;
                reader.Skip();
            }
            else if (property.ValueTextEquals("flags"u8))
            {
                set.Flags = ParseFlags(reader.TokenType == JsonToken.String ? [reader.GetString()!] : ReadStrings(ref reader));
            }
            else if (property.ValueTextEquals("size"u8))
            {
                set.Size = reader.GetInt32();
            }
            else if (property.ValueTextEquals("handle"u8))
            {
                set.Handle = reader.GetInt64();
            }
            else if (property.ValueTextEquals("elem"u8))
            {
                ReadElements(ref reader, source, set, table.CountOnly);
            }
            else
            {
                reader.Skip();
            }
        }

        set.AddTo(table);
    }

    private static SetFlags ParseFlags(List<string> words) =>
        words.Aggregate(SetFlags.None, (flags, word) => flags | word switch
        {
            "dynamic" => SetFlags.Dynamic,
            "timeout" => SetFlags.Timeout,
            "interval" => SetFlags.Interval,
            _ => SetFlags.None,
        });
}
