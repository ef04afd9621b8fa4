using System.Globalization;
using System.Text.Json;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Server.Nftables;

// The fake's tables listed as nft -j lists them, so the real reader reads what the fake applied.
public sealed partial class FakeNftables
{
    /// <summary>The table as <c>nft -j list table</c> prints it; without elements as <c>nft -t -j</c> does.</summary>
    private static string Listing(FakeTable table, bool elements) => Document(w =>
    {
        Item(w, "table", table, table.Name, table.Handle);
        w.WriteEndObject();
        w.WriteEndObject();

        // nft lists counters first, then sets and maps, then chains, then every chain's rules.
        foreach (var counter in table.Objects.OfType<NftCounter>())
        {
            var (packets, bytes) = table.Counts[counter.Name];
            Item(w, "counter", table, counter.Name, table.Handles[Key("counter", counter.Name)]);
            if (counter.Comment is { } comment)
            {
                w.WriteString("comment", comment);
            }

            w.WriteNumber("packets", packets);
            w.WriteNumber("bytes", bytes);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        foreach (var set in table.Objects.Where(o => o is NftSet or NftMap))
        {
            Set(w, table, set, elements);
        }

        foreach (var chain in table.Objects.OfType<NftChain>())
        {
            Chain(w, table, chain);
        }

        var ruleHandle = table.Handles.Values.DefaultIfEmpty().Max();
        foreach (var chain in table.Objects.OfType<NftChain>())
        {
            foreach (var rule in chain.Rules)
            {
                Item(w, "rule", table, null, ++ruleHandle);
                w.WriteString("chain", chain.Name);
                w.WriteStartArray("expr");
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndObject();
            }
        }
    });

    /// <summary>Opens <c>{"kind": {"family": "inet", "name": ..., "table": ..., "handle": ...</c>; the caller closes both objects.</summary>
    private static void Item(Utf8JsonWriter w, string kind, FakeTable table, string? name, long handle)
    {
        w.WriteStartObject();
        w.WriteStartObject(kind);
        w.WriteString("family", "inet");
        if (name is not null)
        {
            w.WriteString("name", name);
        }

        if (kind != "table")
        {
            w.WriteString("table", table.Name);
        }

        w.WriteNumber("handle", handle);
    }

    private static void Chain(Utf8JsonWriter w, FakeTable table, NftChain chain)
    {
        Item(w, "chain", table, chain.Name, table.Handles[Key("chain", chain.Name)]);
        if (chain.Hook is { } hook)
        {
            w.WriteString("type", "filter");
            w.WriteString("hook", hook.Hook);
            w.WriteNumber("prio", hook.PriorityValue);
            w.WriteString("policy", hook.Policy);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Set(Utf8JsonWriter w, FakeTable table, NftObject declared, bool elements)
    {
        var (key, flags, size, isMap) = declared switch
        {
            NftSet s => (s.Key, s.Flags, s.Size, false),
            NftMap m => (m.Key, m.Flags, null, true),
            _ => throw new ArgumentException("Not a set or map.", nameof(declared)),
        };
        Item(w, isMap ? "map" : "set", table, declared.Name, table.Handles[Key(declared.Keyword, declared.Name)]);
        if (key.Count == 1)
        {
            w.WriteString("type", key[0].JsonType);
        }
        else
        {
            w.WriteStartArray("type");
            key.ToList().ForEach(f => w.WriteStringValue(f.JsonType));
            w.WriteEndArray();
        }

        if (isMap)
        {
            w.WriteString("map", "verdict");
        }

        if (size is { } capacity)
        {
            w.WriteNumber("size", capacity);
        }

        // nft lists the flags it keeps; dynamic it infers from the rules, and does not list.
        var listed = new[] { (SetFlags.Timeout, "timeout"), (SetFlags.Interval, "interval") }.Where(f => flags.HasFlag(f.Item1)).ToList();
        if (listed.Count > 0)
        {
            w.WriteStartArray("flags");
            listed.ForEach(f => w.WriteStringValue(f.Item2));
            w.WriteEndArray();
        }

        var held = table.Elements.GetValueOrDefault(declared.Name) ?? [];
        if (elements && held.Count > 0)
        {
            w.WriteStartArray("elem");
            held.ForEach(e => Element(w, e));
            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Element(Utf8JsonWriter w, FakeElement element)
    {
        if (element.Verdict is not null)
        {
            w.WriteStartArray();
        }

        if (element.Timeout is { } timeout)
        {
            w.WriteStartObject();
            w.WritePropertyName("elem");
            w.WriteStartObject();
            w.WritePropertyName("val");
            Key(w, element.Key);
            w.WriteNumber("timeout", (long)timeout.TotalSeconds);
            w.WriteNumber("expires", (element.ExpiresMs ?? 0) / 1000);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        else
        {
            Key(w, element.Key);
        }

        if (element.Verdict is { } verdict)
        {
            w.WriteStartObject();
            w.WritePropertyName(verdict.Action);
            w.WriteStartObject();
            w.WriteString("target", verdict.Chain);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
        }
    }

    private static void Key(Utf8JsonWriter w, IReadOnlyList<string> parts)
    {
        if (parts.Count == 1)
        {
            Value(w, parts[0]);
            return;
        }

        w.WriteStartObject();
        w.WriteStartArray("concat");
        foreach (var part in parts)
        {
            Value(w, part);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A value as nft lists it: numbers as numbers (64-bit tokens signed), ranges and prefixes as objects, the rest as strings.</summary>
    private static void Value(Utf8JsonWriter w, string value)
    {
        if (value.StartsWith("0x", StringComparison.Ordinal) && ulong.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var token))
        {
            w.WriteNumberValue(unchecked((long)token));
        }
        else if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            w.WriteNumberValue(number);
        }
        else if (value.Split('-') is [var low, var high] && long.TryParse(low, CultureInfo.InvariantCulture, out _))
        {
            w.WriteStartObject();
            w.WriteStartArray("range");
            Value(w, low);
            Value(w, high);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        else if (value.Split('/') is [var address, var length])
        {
            w.WriteStartObject();
            w.WriteStartObject("prefix");
            w.WriteString("addr", address);
            w.WriteNumber("len", int.Parse(length, CultureInfo.InvariantCulture));
            w.WriteEndObject();
            w.WriteEndObject();
        }
        else
        {
            w.WriteStringValue(value);
        }
    }
}
