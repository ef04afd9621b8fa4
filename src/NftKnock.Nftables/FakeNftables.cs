using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Nftables;

/// <summary>
/// An in-memory nft for unit tests: records every script, serves table listings that a test sets,
/// and can refuse scripts. A successful apply leaves a minimal listing of our table behind, and the
/// table it declared, which <see cref="Dump"/> returns as the model.
/// </summary>
public sealed class FakeNftables : INftables
{
    private readonly Dictionary<string, NftTable> models = new(StringComparer.Ordinal);

    /// <summary>JSON listings by table name; absent means the table does not exist.</summary>
    public Dictionary<string, string> Tables { get; } = new(StringComparer.Ordinal);

    /// <summary>Every script sent, in order, with whether it was a dry run.</summary>
    public List<(string Script, bool CheckOnly)> Scripts { get; } = [];

    /// <summary>When set, scripts for which this returns an exception are refused with it.</summary>
    public Func<string, NftException?>? Refuse { get; set; }

    /// <inheritdoc/>
    public Task RunAsync(string script, bool checkOnly, CancellationToken cancel = default)
    {
        Scripts.Add((script, checkOnly));
        if (Refuse?.Invoke(script) is { } error)
        {
            throw error;
        }

        if (checkOnly)
        {
            return Task.CompletedTask;
        }

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

        return Task.CompletedTask;
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

            models[table.Name] = table;
        }
    }

    /// <summary>The table as the last applied batch declared it, its map fills included; null when there is none.</summary>
    public NftTable? Dump(string table) => models.GetValueOrDefault(table);

    /// <summary>How many element-free listings apply-like callers asked for.</summary>
    public int StructureReads { get; private set; }

    /// <inheritdoc/>
    public Task<string?> ListTableStructureAsync(string table, CancellationToken cancel = default)
    {
        StructureReads++;
        return ListTableAsync(table, json: true, cancel);
    }

    /// <summary>How many listings of any kind were asked for: every read goes through <see cref="ListTableAsync"/>.</summary>
    public int Reads { get; private set; }

    /// <inheritdoc/>
    public Task<string?> ListTableAsync(string table, bool json, CancellationToken cancel = default)
    {
        Reads++;
        return Task.FromResult(Tables.GetValueOrDefault(table));
    }

    private static string Minimal(string table) =>
        "{\"nftables\": [{\"metainfo\": {\"json_schema_version\": 1}}, {\"table\": {\"family\": \"inet\", \"name\": \"" + table
        + "\", \"handle\": 1}}, {\"map\": {\"family\": \"inet\", \"name\": \"dispatch\", \"table\": \"" + table
        + "\", \"type\": [\"inet_proto\", \"inet_service\"], \"handle\": 2, \"map\": \"verdict\"}}]}";
}
