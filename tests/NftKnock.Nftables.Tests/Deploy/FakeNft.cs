namespace NftKnock.Nftables.Tests.Deploy;

/// <summary>An in-memory nft: serves listings the test sets, records every script sent.</summary>
internal sealed class FakeNft : INftables
{
    public Dictionary<string, string?> TextListings { get; } = [];

    public Dictionary<string, string?> JsonListings { get; } = [];

    public List<(string Script, bool CheckOnly)> Scripts { get; } = [];

    public string Version { get; set; } = "nftables v1.0.6 (Lester Gooch #5)";

    public string Ruleset { get; set; } = "{\"nftables\": []}";

    public Func<string, bool, NftException?> Refuse { get; set; } = (_, _) => null;

    public NftException? Missing { get; set; }

    /// <summary>When set, listings (ruleset and tables) fail with it while scripts and the version still work.</summary>
    public NftException? ListingFails { get; set; }

    public Task RunAsync(string script, bool checkOnly, CancellationToken cancel = default)
    {
        if (Missing is not null)
        {
            throw Missing;
        }

        if (Refuse(script, checkOnly) is { } refused)
        {
            throw refused;
        }

        lock (Scripts)
        {
            Scripts.Add((script, checkOnly));
        }

        return Task.CompletedTask;
    }

    public Task<string?> ListTableAsync(string table, bool json, CancellationToken cancel = default) =>
        (Missing ?? ListingFails) is { } failure ? throw failure : Task.FromResult((json ? JsonListings : TextListings).GetValueOrDefault(table));

    public Task<string> VersionAsync(CancellationToken cancel = default) =>
        Missing is not null ? throw Missing : Task.FromResult(Version);

    public Task<string> ListRulesetAsync(CancellationToken cancel = default) =>
        (Missing ?? ListingFails) is { } failure ? throw failure : Task.FromResult(Ruleset);

    public IReadOnlyList<string> Applied => Scripts.Where(s => !s.CheckOnly).Select(s => s.Script).ToList();
}

/// <summary>Configs for the deploy tests.</summary>
internal static class Configs
{
    public const string Ssh = """
        table: nftknock
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [7000/udp, 9000/tcp, 8000/udp]
        """;

    public static Core.Model.ServerConfig Read(string yaml) =>
        Core.Config.ConfigReader.Read(yaml).Config ?? throw new InvalidOperationException("test config is invalid");
}
