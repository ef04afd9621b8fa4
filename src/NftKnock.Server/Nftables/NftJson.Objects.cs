using System.Globalization;
using System.Text;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Nftables;

// The table, its chains, rules, counters, sets and maps.
public static partial class NftJson
{
    /// <summary>The scalar properties of a listed object as their text, by name; skips what else it holds (a rule's statements).</summary>
    private static Dictionary<string, string> ReadFields(ref JsonScanner reader)
    {
        Expect(ref reader, JsonToken.StartObject);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        while (NextProperty(ref reader))
        {
            var name = reader.GetString();
            switch (Next(ref reader))
            {
                case JsonToken.String:
                    fields[name] = reader.GetString();
                    break;
                case JsonToken.Number:
                    fields[name] = Encoding.UTF8.GetString(reader.ValueSpan);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return fields;
    }

    /// <summary>A numeric property; 0 when the object does not have it.</summary>
    private static long Number(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var text) ? long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;

    private static void ReadTableHeader(ref JsonScanner reader, TableBuilder table)
    {
        var fields = ReadFields(ref reader);
        if (!table.Keeps(fields.GetValueOrDefault("name")))
        {
            return;
        }

        (table.Name, table.Handle, table.Comment) = (fields.GetValueOrDefault("name"), Number(fields, "handle"), fields.GetValueOrDefault("comment") ?? string.Empty);
    }

    private static void ReadChain(ref JsonScanner reader, TableBuilder table)
    {
        var fields = ReadFields(ref reader);
        if (!table.Keeps(fields.GetValueOrDefault("table")))
        {
            return;
        }

        var name = fields.GetValueOrDefault("name") ?? throw new FormatException("nft -j output has a chain without a name");
        var hook = fields.GetValueOrDefault("hook") is { } h
            ? new NftHook(h, fields.GetValueOrDefault("prio") ?? "0", fields.GetValueOrDefault("policy") ?? "accept")
            : null;
        table.Objects.Add(new NftChain(name, []) { Hook = hook });
        table.Chains[name] = Number(fields, "handle");
    }

    private static void ReadRule(ref JsonScanner reader, TableBuilder table)
    {
        var fields = ReadFields(ref reader);
        if (!table.Keeps(fields.GetValueOrDefault("table")))
        {
            return;
        }

        var chain = fields.GetValueOrDefault("chain") ?? throw new FormatException("nft -j output has a rule without a chain");
        if (!table.Rules.TryGetValue(chain, out var rules))
        {
            table.Rules[chain] = rules = [];
        }

        rules.Add(new LiveRule(Number(fields, "handle"), fields.GetValueOrDefault("comment")));
    }

    private static void ReadCounter(ref JsonScanner reader, TableBuilder table)
    {
        var fields = ReadFields(ref reader);
        if (!table.Keeps(fields.GetValueOrDefault("table")))
        {
            return;
        }

        var name = fields.GetValueOrDefault("name") ?? throw new FormatException("nft -j output has a counter without a name");
        table.Objects.Add(new NftCounter(name) { Comment = fields.GetValueOrDefault("comment") });
        table.Counters[name] = new LiveCounter(Number(fields, "handle"), Number(fields, "packets"), Number(fields, "bytes"));
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
            else if (property.ValueTextEquals("table"u8))
            {
                set.Table = reader.GetString();
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
