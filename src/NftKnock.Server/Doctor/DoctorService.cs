using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Host;
using NftKnock.Server.Nftables;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Doctor;

/// <summary>What doctor looks at.</summary>
/// <param name="Config">The validated config; null when there is none (config checks then warn).</param>
/// <param name="SecretFiles">Secret files the config uses (rotating doors).</param>
/// <param name="Privileged">Whether nft may be asked (root or CAP_NET_ADMIN).</param>
public sealed record DoctorInputs(ServerConfig? Config, IReadOnlyList<string> SecretFiles, bool Privileged = true);

/// <summary>Runs every check, in a fixed order, and never changes anything.</summary>
/// <param name="nft">The nft to ask.</param>
/// <param name="host">What the checks read from the host; <see cref="SystemHost"/> when null.</param>
public sealed class DoctorService(INftables nft, IHostProbe? host = null)
{
    /// <summary>The clock check's name.</summary>
    public const string ClockName = ClockSync.Name;

    /// <summary>The kernel log check's name.</summary>
    public const string KernelLogName = KernelLogCheck.Name;

    /// <summary>The rotation check's name.</summary>
    public const string RotationName = Rotation.Name;

    /// <summary>Runs the checks.</summary>
    public async Task<IReadOnlyList<DoctorCheck>> RunAsync(DoctorInputs inputs, CancellationToken cancel = default)
    {
        var config = inputs.Config;
        var probe = host ?? new SystemHost();
        Task<ForeignRuleset>? ruleset = null;
        Task<ForeignRuleset> Ruleset() => ruleset ??= ListForeignAsync(config!.Table, cancel);
        async Task<NatRules> Nat() => NatRules.Read(await Ruleset());

        // One reading serves the published ports, rotation and drift; they need elements (the rotating map's, the dispatch map's).
        // Each asks only once nft answered and may be asked.
        Task<TableReading?>? reading = null;
        Task<TableReading?> Table() => reading ??= ReadTableAsync(config, inputs.Privileged, cancel);
        var checks = new List<DoctorCheck> { await NftChecks.VersionAsync(nft, cancel) };
        var nftWorks = checks[0].Status != CheckStatus.Fail;
        const string NoConfig = ServerTexts.NoConfig;
        const string ConfigFix = ServerTexts.ConfigFix;
        if (!nftWorks || !inputs.Privileged)
        {
            var why = nftWorks ? ServerTexts.NeedsRoot : ServerTexts.NftBroken;
            var fix = nftWorks ? ServerTexts.SudoFix : ServerTexts.InstallNftFirst;
            checks.Add(DoctorCheck.Warn(NftChecks.FeaturesName, why, fix));
            checks.Add(DoctorCheck.Warn(ForeignChains.Name, why, fix));
            checks.Add(DoctorCheck.Warn(PublishedPorts.Name, why, fix));
        }
        else if (config is null)
        {
            checks.Add(await NftChecks.FeaturesAsync(nft, null, cancel));
            checks.Add(DoctorCheck.Warn(ForeignChains.Name, NoConfig, ConfigFix));
            checks.Add(DoctorCheck.Warn(PublishedPorts.Name, NoConfig, ConfigFix));
        }
        else
        {
            checks.Add(await NftChecks.FeaturesAsync(nft, Planner.Plan(config), cancel));

            // One listing of the ruleset serves both checks, and its nat rules drift too.
            const string ListRuleset = "nft -j list ruleset";
            checks.Add(await ListedAsync(ForeignChains.Name, ListRuleset, async () => ForeignChains.Check(await Ruleset(), config)));
            checks.Add(await ListedAsync(PublishedPorts.Name, ListRuleset, async () => PublishedPorts.Check(await Nat(), config, probe, await Table())));
        }

        checks.Add(config is null
            ? DoctorCheck.Warn(Listeners.Name, NoConfig, ConfigFix)
            : Listeners.Check(config, Listeners.Read(probe)));
        checks.Add(SecretFiles.Check(inputs.SecretFiles, probe));
        checks.Add(PublicSequenceCheck.Check(config));

        checks.Add(ClockSync.Check(config, probe.ReadClock));
        var rotating = config?.Doors.Any(d => d.Rotating is not null) == true;

        var listTable = $"nft -j list table inet {config?.Table}";
        if (config is null || !rotating)
        {
            checks.Add(config is null
                ? DoctorCheck.Warn(Rotation.Name, NoConfig, ConfigFix)
                : Rotation.Check(config, null));
        }
        else if (nftWorks && inputs.Privileged)
        {
            checks.Add(await ListedAsync(Rotation.Name, listTable, async () => Rotation.Check(config, await Table())));
        }
        else
        {
            checks.Add(DoctorCheck.Warn(Rotation.Name, ServerTexts.NeedsRootAndNft, ServerTexts.SudoFix));
        }

        checks.Add(config is null
            ? DoctorCheck.Warn(KernelLogCheck.Name, NoConfig, ConfigFix)
            : KernelLogCheck.Check(config));

        if (config is null)
        {
            checks.Add(DoctorCheck.Warn(Drift.Name, NoConfig, ConfigFix));
            checks.Add(DoctorCheck.Warn(AuditMode.Name, NoConfig, ConfigFix));
        }
        else if (nftWorks && inputs.Privileged)
        {
            checks.Add(await ListedAsync(Drift.Name, listTable, async () => Drift.Check(config, await Table(), await PublishedAsync(Nat, config))));
            checks.Add(await ListedAsync(AuditMode.Name, listTable, async () => AuditMode.Check(config, await Table())));
        }
        else
        {
            checks.Add(DoctorCheck.Warn(Drift.Name, ServerTexts.NeedsRootAndNft, ServerTexts.SudoFix));
            checks.Add(DoctorCheck.Warn(AuditMode.Name, ServerTexts.NeedsRootAndNft, ServerTexts.SudoFix));
        }

        return checks;
    }

    /// <summary>Where the host's DNAT sends protected ports, as apply plans them; none when the ruleset cannot be read (the published ports check says why).</summary>
    private static async Task<IReadOnlyList<PublishedTarget>> PublishedAsync(Func<Task<NatRules>> nat, ServerConfig config)
    {
        try
        {
            return (await nat()).Targets(config);
        }
        catch (Exception e) when (e is NftException or FormatException or NotSupportedException)
        {
            return [];
        }
    }

    /// <summary>The other tables' chains and rules, read once for the host firewall and published ports checks and drift.</summary>
    private async Task<ForeignRuleset> ListForeignAsync(string ourTable, CancellationToken cancel) =>
        ForeignRuleset.Parse(await nft.ListRulesetAsync(cancel), ourTable);

    /// <summary>Our table read back, when a config names it and nft may be asked; else null.</summary>
    private Task<TableReading?> ReadTableAsync(ServerConfig? config, bool mayAsk, CancellationToken cancel) =>
        config is null || !mayAsk ? Task.FromResult<TableReading?>(null) : new TableService(nft).ReadAsync(config.Table, cancel);

    /// <summary>
    /// A check that reads a listing: when nft fails, or prints what nftknock cannot read, the check
    /// fails with nft's own words and doctor goes on with the rest.
    /// </summary>
    private static async Task<DoctorCheck> ListedAsync(string name, string command, Func<Task<DoctorCheck>> check)
    {
        try
        {
            return await check();
        }
        catch (NftException e)
        {
            return DoctorCheck.Fail(name, ServerTexts.ListingFailed(command, e.FirstError), ServerTexts.ListingFailedFix(command));
        }
        catch (FormatException)
        {
            return DoctorCheck.Fail(name, ServerTexts.ListingUnreadable(command), ServerTexts.ListingUnreadableFix);
        }
    }
}
