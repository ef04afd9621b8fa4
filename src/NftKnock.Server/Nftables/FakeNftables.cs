using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Nftables;

/// <summary>
/// The in-memory nft every unit test shares. It applies each batch to its tables as the kernel does
/// (declarations, flushes, deletes, kept live state, a recreated table losing everything), lets a test
/// add elements and count packets as the kernel's rules would, and lists its tables as <c>nft -j</c>
/// does, so the real reader reads them. It records every script, can refuse scripts, fail listings or
/// be missing, and serves a listing a test sets in <see cref="Tables"/> instead of its own.
/// Safe to call from several threads.
/// </summary>
public sealed partial class FakeNftables : INftables
{
    private readonly List<string> applied = [];
    private int calls;

    /// <summary>JSON listings a test serves by table name, in place of the fake's own tables.</summary>
    public Dictionary<string, string> Tables { get; } = new(StringComparer.Ordinal);

    /// <summary>Text listings (<c>nft list table</c>) by table name, as a test sets them; applies leave them alone.</summary>
    public Dictionary<string, string> TextTables { get; } = new(StringComparer.Ordinal);

    /// <summary>Every script sent, in order, with whether it was a dry run; refused ones included.</summary>
    public List<(string Script, bool CheckOnly)> Scripts { get; } = [];

    /// <summary>The scripts nft accepted and ran for real (no dry runs, nothing refused), in order.</summary>
    public IReadOnlyList<string> Applied
    {
        get
        {
            lock (Scripts)
            {
                return [.. applied];
            }
        }
    }

    /// <summary>How many calls of any kind reached the fake: scripts, listings, the version and the ruleset.</summary>
    public int Calls => Volatile.Read(ref calls);

    /// <summary>When set, scripts for which this returns an exception are refused with it.</summary>
    public Func<string, NftException?>? Refuse { get; set; }

    /// <summary>When set, every call fails with it, as when nft is not installed or cannot run at all.</summary>
    public NftException? Missing { get; set; }

    /// <summary>When set, listings (tables and the ruleset) fail with it while scripts and the version still work.</summary>
    public NftException? ListingFails { get; set; }

    /// <summary>The version line <see cref="VersionAsync"/> reports.</summary>
    public string Version { get; set; } = "nftables v1.0.6 (Lester Gooch #5)";

    /// <summary>The whole ruleset as JSON, as <see cref="ListRulesetAsync"/> serves it.</summary>
    public string Ruleset { get; set; } = "{\"nftables\": []}";

    /// <inheritdoc/>
    public Task RunAsync(string script, bool checkOnly, CancellationToken cancel = default)
    {
        if (Record(script, checkOnly))
        {
            lock (Scripts)
            {
                ApplyText(script);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task ApplyAsync(ApplyBatch batch, bool checkOnly, CancellationToken cancel = default)
    {
        if (Record(batch.Text, checkOnly))
        {
            lock (Scripts)
            {
                Tables.Remove(batch.Model.Name);
                ApplyModel(batch);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Records a script; true when it is to be applied (not refused, not a dry run).</summary>
    private bool Record(string script, bool checkOnly)
    {
        Interlocked.Increment(ref calls);
        lock (Scripts)
        {
            Scripts.Add((script, checkOnly));
        }

        if ((Missing ?? Refuse?.Invoke(script)) is { } error)
        {
            throw error;
        }

        if (checkOnly)
        {
            return false;
        }

        lock (Scripts)
        {
            applied.Add(script);
            if (script.Contains("delete table inet ", StringComparison.Ordinal))
            {
                foreach (var gone in Tables.Keys.Where(t => script.Contains($"delete table inet {t}\n", StringComparison.Ordinal)).ToList())
                {
                    Tables.Remove(gone);
                }
            }
        }

        return true;
    }

    /// <summary>The table as the fake holds it: the objects declared, maps with their current entries; null when there is none.</summary>
    public NftTable? Dump(string table)
    {
        lock (Scripts)
        {
            if (!state.TryGetValue(table, out var held))
            {
                return null;
            }

            return new NftTable(table, string.Empty, [.. held.Objects.Select(o => o is NftMap map
                ? map with { Elements = [.. held.Elements[map.Name].Select(e => new MapEntry(e.Key, e.Verdict!, e.Timeout))] }
                : o)]);
        }
    }

    /// <summary>How many element-free listings apply-like callers asked for.</summary>
    public int StructureReads => Volatile.Read(ref structureReads);

    private int structureReads;

    /// <inheritdoc/>
    public Task<string?> ListTableStructureAsync(string table, CancellationToken cancel = default)
    {
        Interlocked.Increment(ref structureReads);
        return List(table, json: true, elements: false);
    }

    /// <summary>How many table listings were asked for: every table read goes through <see cref="ListTableAsync"/>.</summary>
    public int Reads => Volatile.Read(ref reads);

    private int reads;

    /// <inheritdoc/>
    public Task<string?> ListTableAsync(string table, bool json, CancellationToken cancel = default) => List(table, json, elements: true);

    private Task<string?> List(string table, bool json, bool elements)
    {
        Interlocked.Increment(ref calls);
        Interlocked.Increment(ref reads);
        if ((Missing ?? ListingFails) is { } failure)
        {
            throw failure;
        }

        lock (Scripts)
        {
            if (!json)
            {
                return Task.FromResult(TextTables.GetValueOrDefault(table));
            }

            return Task.FromResult(Tables.GetValueOrDefault(table) ?? (state.TryGetValue(table, out var held) ? Listing(held, elements) : null));
        }
    }

    /// <inheritdoc/>
    public Task<string> VersionAsync(CancellationToken cancel = default)
    {
        Interlocked.Increment(ref calls);
        return Missing is { } missing ? throw missing : Task.FromResult(Version);
    }

    /// <inheritdoc/>
    public Task<string> ListRulesetAsync(CancellationToken cancel = default)
    {
        Interlocked.Increment(ref calls);
        return (Missing ?? ListingFails) is { } failure ? throw failure : Task.FromResult(Ruleset);
    }
}
