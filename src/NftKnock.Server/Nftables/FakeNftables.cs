using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Nftables;

/// <summary>
/// The in-memory nft every unit test shares: records every script, serves the JSON and text listings
/// a test sets (fixtures captured from the real tool), and can refuse scripts, fail listings or be
/// missing. A successful apply leaves a minimal listing of our table behind, and the table it declared,
/// which <see cref="Dump"/> returns as the model. Safe to call from several threads.
/// </summary>
public sealed class FakeNftables : INftables
{
    private readonly Dictionary<string, NftTable> models = new(StringComparer.Ordinal);

    private readonly List<string> applied = [];
    private int calls;

    /// <summary>JSON listings by table name; absent means the table does not exist.</summary>
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
            return Task.CompletedTask;
        }

        lock (Scripts)
        {
            applied.Add(script);
            Apply(script);
        }

        return Task.CompletedTask;
    }

    private void Apply(string script)
    {
        foreach (var line in script.Split('\n'))
        {
            var words = line.Trim().Split(' ');
            if (words is ["delete", "table", "inet", var gone])
            {
                Tables.Remove(gone);
                models.Remove(gone);
            }
            else if (words is ["table", "inet", var name, "{"] && !Tables.ContainsKey(name))
            {
                Tables[name] = Minimal(name);
            }
        }
    }

    /// <inheritdoc/>
    public async Task ApplyAsync(ApplyBatch batch, bool checkOnly, CancellationToken cancel = default)
    {
        await RunAsync(batch.Text, checkOnly, cancel);
        if (!checkOnly)
        {
            var table = batch.Model;
            if (batch.Fill is { } fill)
            {
                table = table.Replace(table.Get<NftMap>(fill.Map) with { Elements = fill.Entries });
            }

            lock (Scripts)
            {
                models[table.Name] = table;
            }
        }
    }

    /// <summary>The table as the last applied batch declared it, its map fills included; null when there is none.</summary>
    public NftTable? Dump(string table)
    {
        lock (Scripts)
        {
            return models.GetValueOrDefault(table);
        }
    }

    /// <summary>How many element-free listings apply-like callers asked for.</summary>
    public int StructureReads => Volatile.Read(ref structureReads);

    private int structureReads;

    /// <inheritdoc/>
    public Task<string?> ListTableStructureAsync(string table, CancellationToken cancel = default)
    {
        Interlocked.Increment(ref structureReads);
        return ListTableAsync(table, json: true, cancel);
    }

    /// <summary>How many table listings were asked for: every table read goes through <see cref="ListTableAsync"/>.</summary>
    public int Reads => Volatile.Read(ref reads);

    private int reads;

    /// <inheritdoc/>
    public Task<string?> ListTableAsync(string table, bool json, CancellationToken cancel = default)
    {
        Interlocked.Increment(ref calls);
        Interlocked.Increment(ref reads);
        if ((Missing ?? ListingFails) is { } failure)
        {
            throw failure;
        }

        lock (Scripts)
        {
            return Task.FromResult((json ? Tables : TextTables).GetValueOrDefault(table));
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

    private static string Minimal(string table) =>
        "{\"nftables\": [{\"metainfo\": {\"json_schema_version\": 1}}, {\"table\": {\"family\": \"inet\", \"name\": \"" + table
        + "\", \"handle\": 1}}, {\"map\": {\"family\": \"inet\", \"name\": \"dispatch\", \"table\": \"" + table
        + "\", \"type\": [\"inet_proto\", \"inet_service\"], \"handle\": 2, \"map\": \"verdict\"}}]}";
}
