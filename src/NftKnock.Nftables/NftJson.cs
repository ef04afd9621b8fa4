using System.Globalization;
using System.Text.Json;
using NftKnock.Core.Ruleset;

namespace NftKnock.Nftables;

/// <summary>Reads the JSON that <c>nft -j list table inet T</c> prints (schema version 1).</summary>
public static class NftJson
{
    /// <summary>The JSON schema version this reader understands.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Parses a listing of one table.</summary>
    /// <exception cref="FormatException">The JSON is not a table listing this reader understands.</exception>
    public static TableState ReadTable(string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty("nftables", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("nft -j output has no nftables array");
        }

        string? table = null;
        var sets = new SortedDictionary<string, TableSet>(StringComparer.Ordinal);
        var counters = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var chains = new List<string>();
        var dispatch = new List<DispatchEntry>();
        foreach (var item in items.EnumerateArray())
        {
            foreach (var property in item.EnumerateObject())
            {
                var body = property.Value;
                switch (property.Name)
                {
                    case "metainfo":
                        var version = body.GetProperty("json_schema_version").GetInt32();
                        if (version != SchemaVersion)
                        {
                            throw new FormatException(string.Create(
                                CultureInfo.InvariantCulture,
                                $"nft prints JSON schema version {version}; nftknock reads version {SchemaVersion}"));
                        }

                        break;
                    case "table":
                        table = body.GetProperty("name").GetString();
                        break;
                    case "chain":
                        chains.Add(body.GetProperty("name").GetString()!);
                        break;
                    case "counter":
                        counters[body.GetProperty("name").GetString()!] = body.GetProperty("packets").GetInt64();
                        break;
                    case "set" or "map":
                        var set = ReadSet(body, property.Name == "map");
                        sets[set.Name] = set;
                        if (set.Name == Names.Dispatch && body.TryGetProperty("elem", out var elems))
                        {
                            dispatch.AddRange(ReadDispatch(elems));
                        }

                        break;
                }
            }
        }

        return new TableState(table ?? throw new FormatException("nft -j output has no table"), sets, counters, chains, dispatch);
    }

    private static TableSet ReadSet(JsonElement body, bool isMap)
    {
        var name = body.GetProperty("name").GetString()!;
        var type = body.GetProperty("type") is { ValueKind: JsonValueKind.String } t ? t.GetString()! : string.Join(" . ", body.GetProperty("type").EnumerateArray().Select(x => x.GetString()));
        var flags = body.TryGetProperty("flags", out var f) ? f.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
        var elements = new List<SetElement>();
        if (!isMap && body.TryGetProperty("elem", out var elems))
        {
            foreach (var elem in elems.EnumerateArray())
            {
                elements.Add(ReadElement(elem));
            }
        }

        return new TableSet(name, type, isMap, flags, elements);
    }

    private static SetElement ReadElement(JsonElement elem)
    {
        // Elements with a timeout are wrapped: {"elem": {"val": ..., "timeout": s, "expires": s}}.
        if (elem.ValueKind == JsonValueKind.Object && elem.TryGetProperty("elem", out var inner))
        {
            long? expires = inner.TryGetProperty("expires", out var e) ? e.GetInt64() * 1000 : null;
            return new SetElement(Value(inner.GetProperty("val")), expires);
        }

        return new SetElement(Value(elem), null);
    }

    private static string Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Object when value.TryGetProperty("prefix", out var p) =>
            $"{p.GetProperty("addr").GetString()}/{p.GetProperty("len").GetInt32()}",
        JsonValueKind.Object when value.TryGetProperty("range", out var r) =>
            $"{Value(r[0])}-{Value(r[1])}",
        JsonValueKind.Object when value.TryGetProperty("concat", out var c) =>
            string.Join(" . ", c.EnumerateArray().Select(Value)),
        _ => value.GetRawText(),
    };

    private static IEnumerable<DispatchEntry> ReadDispatch(JsonElement elems)
    {
        foreach (var pair in elems.EnumerateArray())
        {
            // Map elements are [key, verdict]; the key is {"concat": [proto, port-or-range]}.
            var key = pair[0];
            var verdict = pair[1];
            if (!key.TryGetProperty("concat", out var concat))
            {
                continue;
            }

            var target = verdict.EnumerateObject().First().Value.GetProperty("target").GetString()!;
            yield return new DispatchEntry(Value(concat[0]), Value(concat[1]), target);
        }
    }
}
