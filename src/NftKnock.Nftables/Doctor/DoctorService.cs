using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;

namespace NftKnock.Nftables.Doctor;

/// <summary>What doctor looks at.</summary>
/// <param name="Config">The validated config; null when there is none (config checks then warn).</param>
/// <param name="SecretFiles">Secret files the config uses (rotating doors).</param>
/// <param name="ProcNet">Where the socket tables are, normally <c>/proc/net</c>.</param>
/// <param name="Privileged">Whether nft may be asked (root or CAP_NET_ADMIN).</param>
public sealed record DoctorInputs(ServerConfig? Config, IReadOnlyList<string> SecretFiles, string ProcNet = "/proc/net", bool Privileged = true);

/// <summary>Runs every check, in a fixed order, and never changes anything.</summary>
/// <param name="nft">The nft to ask.</param>
/// <param name="clock">What the kernel says about the clock; <see cref="ClockSync.ReadKernel"/> when null.</param>
public sealed class DoctorService(INftables nft, Func<ClockState>? clock = null)
{
    /// <summary>The clock check's name.</summary>
    public const string ClockName = ClockSync.Name;

    /// <summary>The rotation check's name.</summary>
    public const string RotationName = Rotation.Name;

    /// <summary>Runs the checks.</summary>
    public async Task<IReadOnlyList<DoctorCheck>> RunAsync(DoctorInputs inputs, CancellationToken cancel = default)
    {
        var config = inputs.Config;
        var checks = new List<DoctorCheck> { await NftChecks.VersionAsync(nft, cancel) };
        var nftWorks = checks[0].Status != CheckStatus.Fail;
        const string NoConfig = "skipped: no valid config";
        const string ConfigFix = "Pass the config with -c FILE, or fix the errors nftknock check reports.";
        if (!nftWorks || !inputs.Privileged)
        {
            var why = nftWorks ? "skipped: needs root" : "skipped: nft does not work";
            var fix = nftWorks ? "Run nftknock doctor with sudo." : "Install nftables first.";
            checks.Add(DoctorCheck.Warn(NftChecks.FeaturesName, why, fix));
            checks.Add(DoctorCheck.Warn(ForeignChains.Name, why, fix));
        }
        else
        {
            checks.Add(await NftChecks.FeaturesAsync(nft, config is null ? null : Planner.Plan(config), cancel));
            checks.Add(config is null
                ? DoctorCheck.Warn(ForeignChains.Name, NoConfig, ConfigFix)
                : ForeignChains.Check(await nft.ListRulesetAsync(cancel), config));
        }

        checks.Add(config is null
            ? DoctorCheck.Warn(Listeners.Name, NoConfig, ConfigFix)
            : Listeners.Check(config, Listeners.Read(inputs.ProcNet)));
        checks.Add(SecretFiles.Check(inputs.SecretFiles));
        checks.Add(PublicSequenceCheck.Check(config));

        checks.Add(ClockSync.Check(config, clock ?? ClockSync.ReadKernel));
        var rotating = config?.Doors.Any(d => d.Rotating is not null) == true;

        // One listing serves rotation and drift; both need elements (the rotating map's, the dispatch map's).
        var tableJson = config is null || !nftWorks || !inputs.Privileged
            ? null
            : await nft.ListTableAsync(config.Table, json: true, cancel);
        if (config is null || !rotating)
        {
            checks.Add(config is null
                ? DoctorCheck.Warn(Rotation.Name, NoConfig, ConfigFix)
                : Rotation.Check(config, null));
        }
        else if (nftWorks && inputs.Privileged)
        {
            checks.Add(Rotation.Check(config, tableJson));
        }
        else
        {
            checks.Add(DoctorCheck.Warn(Rotation.Name, "skipped: needs root and a working nft", "Run nftknock doctor with sudo."));
        }

        if (config is null)
        {
            checks.Add(DoctorCheck.Warn(Drift.Name, NoConfig, ConfigFix));
        }
        else if (nftWorks && inputs.Privileged)
        {
            checks.Add(Drift.Check(config, tableJson is null ? null : NftJson.ReadTable(tableJson)));
        }
        else
        {
            checks.Add(DoctorCheck.Warn(Drift.Name, "skipped: needs root and a working nft", "Run nftknock doctor with sudo."));
        }

        return checks;
    }
}
