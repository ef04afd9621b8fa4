using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Nftables;

// The fake's tables: what each batch leaves behind, applied as the kernel applies it.
public sealed partial class FakeNftables
{
    private readonly Dictionary<string, FakeTable> state = new(StringComparer.Ordinal);
    private long nextHandle = 1;

    /// <summary>One element as the fake holds it: key parts, the verdict of a map entry, its timeout and the time it has left.</summary>
    private sealed record FakeElement(IReadOnlyList<string> Key, Verdict? Verdict, TimeSpan? Timeout, long? ExpiresMs);

    /// <summary>One table: its declared objects in order, and what they hold.</summary>
    private sealed class FakeTable(string name, long handle)
    {
        public string Name { get; } = name;

        public long Handle { get; } = handle;

        public List<NftObject> Objects { get; } = [];

        public Dictionary<string, long> Handles { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<FakeElement>> Elements { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, (long Packets, long Bytes)> Counts { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>
    /// Applies a batch as nft does: a new or recreated table starts empty; a kept one is flushed (its chains
    /// emptied), loses what the batch deletes, and keeps what holds live state (stateful sets' elements,
    /// counters' values); every other object is declared afresh with the elements the model gives.
    /// </summary>
    private void ApplyModel(ApplyBatch batch)
    {
        var name = batch.Model.Name;
        if (batch.Start != TableStart.Kept || !state.ContainsKey(name))
        {
            state[name] = new FakeTable(name, nextHandle++);
        }

        var table = state[name];
        foreach (var (keyword, gone) in batch.Deletes)
        {
            Forget(table, keyword, gone);
        }

        foreach (var declared in batch.Model.Objects)
        {
            Declare(table, declared);
        }

        if (batch.Fill is { } fill)
        {
            table.Elements[fill.Map] = [.. fill.Entries.Select(FromEntry)];
        }
    }

    private void Declare(FakeTable table, NftObject declared)
    {
        var at = table.Objects.FindIndex(o => o.Keyword == declared.Keyword && o.Name == declared.Name);
        var kept = at >= 0 && declared.KeptAcrossApplies;
        if (at >= 0)
        {
            table.Objects[at] = declared;
        }
        else
        {
            table.Objects.Add(declared);
            table.Handles[Key(declared.Keyword, declared.Name)] = nextHandle++;
        }

        if (kept)
        {
            return;
        }

        switch (declared)
        {
            case NftSet set:
                table.Elements[set.Name] = [.. set.Elements.Select(e => new FakeElement(e.Split(" . "), null, null, null))];
                break;
            case NftMap map:
                table.Elements[map.Name] = [.. map.Elements.Select(FromEntry)];
                break;
            case NftCounter counter:
                table.Counts[counter.Name] = (0, 0);
                break;
        }
    }

    private static FakeElement FromEntry(MapEntry entry) =>
        new(entry.Key, entry.Verdict, entry.Timeout, entry.Timeout is { } t ? (long)t.TotalMilliseconds : null);

    private static void Forget(FakeTable table, string keyword, string name)
    {
        table.Objects.RemoveAll(o => o.Keyword == keyword && o.Name == name);
        table.Handles.Remove(Key(keyword, name));
        if (keyword is "set" or "map")
        {
            table.Elements.Remove(name);
        }
        else if (keyword == "counter")
        {
            table.Counts.Remove(name);
        }
    }

    private static string Key(string keyword, string name) => $"{keyword} {name}";

    /// <summary>
    /// Adds an element to a set of a loaded table, as the kernel's rules do on a knock or a grant:
    /// <c>AddElement("nftknock", "ssh_open_v4", "198.18.1.2", TimeSpan.FromSeconds(10))</c>.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The table or the set is not loaded.</exception>
    public void AddElement(string table, string set, string value, TimeSpan? expires = null)
    {
        lock (Scripts)
        {
            var loaded = state[table];
            var elements = loaded.Elements.TryGetValue(set, out var list) ? list : throw new KeyNotFoundException($"No set {set} in table {table}.");
            elements.RemoveAll(e => string.Join(" . ", e.Key) == value);
            elements.Add(new FakeElement(value.Split(" . "), null, expires, expires is { } t ? (long)t.TotalMilliseconds : null));
        }
    }

    /// <summary>Counts packets on a loaded counter, as its rule does when packets match.</summary>
    /// <exception cref="KeyNotFoundException">The table or the counter is not loaded.</exception>
    public void Count(string table, string counter, long packets = 1)
    {
        lock (Scripts)
        {
            var counts = state[table].Counts;
            var (p, b) = counts.TryGetValue(counter, out var c) ? c : throw new KeyNotFoundException($"No counter {counter} in table {table}.");
            counts[counter] = (p + packets, b + (packets * 60));
        }
    }

    /// <summary>
    /// Applies what a text script changes that the fake understands: a table created empty or deleted,
    /// and a map flushed and filled (<see cref="Core.Ruleset.NftWriter.Fill"/>), as rotation writes it.
    /// </summary>
    private void ApplyText(string script)
    {
        var lines = script.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var words = lines[i].Trim().Split(' ');
            if (words is ["delete", "table", "inet", var gone])
            {
                state.Remove(gone);
            }
            else if (words is ["table", "inet", var name, "{}" or "{"] && !state.ContainsKey(name))
            {
                state[name] = new FakeTable(name, nextHandle++);
            }
            else if (words is ["flush", "map" or "set", "inet", var t, var map] && state.TryGetValue(t, out var flushed))
            {
                flushed.Elements[map] = [];
            }
            else if (words is ["add", "element", "inet", var t2, var set, "{"] && state.TryGetValue(t2, out var filled))
            {
                for (i++; i < lines.Length && lines[i].Trim() != "}"; i++)
                {
                    filled.Elements[set].Add(ParseElement(lines[i].Trim().TrimEnd(',')));
                }
            }
        }
    }

    /// <summary>One element as <see cref="Core.Ruleset.NftWriter"/> writes it: <c>40000 . 0x0102 timeout 1m : goto ssh_step1</c>.</summary>
    private static FakeElement ParseElement(string text)
    {
        var (key, verdict) = text.Split(" : ") is [var k, var v] ? (k, v.Split(' ')) : (text, null);
        var timeout = (TimeSpan?)null;
        if (key.Split(" timeout ") is [var bare, var duration] && Core.Model.Duration.TryParse(duration, out var parsed))
        {
            key = bare;
            timeout = parsed;
        }

        return new FakeElement(key.Split(" . "), verdict is [var action, var chain] ? new Verdict(action, chain) : null, timeout, timeout is { } t ? (long)t.TotalMilliseconds : null);
    }
}
