using NftKnock.Core.Model;
using NftKnock.Server.Host;
using NftKnock.Server.Nftables;

namespace NftKnock.Server.Doctor;

/// <summary>What doctor looks at.</summary>
/// <param name="Config">The validated config; null when there is none (config checks then warn).</param>
/// <param name="SecretFiles">Secret files the config uses (rotating doors).</param>
/// <param name="Privileged">Whether nft may be asked (root or CAP_NET_ADMIN).</param>
public sealed record DoctorInputs(ServerConfig? Config, IReadOnlyList<string> SecretFiles, bool Privileged = true);

/// <summary>
/// Runs every check, in a fixed order, and never changes anything. Each check declares what it needs
/// (<see cref="DoctorNeeds"/>); this is the one place that skips a check whose needs are not met.
/// </summary>
/// <param name="nft">The nft to ask.</param>
/// <param name="host">What the checks read from the host; <see cref="SystemHost"/> when null.</param>
public sealed partial class DoctorService(INftables nft, IHostProbe? host = null)
{
    /// <summary>The clock check's name.</summary>
    public const string ClockName = ClockSync.Name;

    /// <summary>The kernel log check's name.</summary>
    public const string KernelLogName = KernelLogCheck.Name;

    /// <summary>The rotation check's name.</summary>
    public const string RotationName = Rotation.Name;

    private const string ListRuleset = "nft -j list ruleset";

    /// <summary>Runs the checks.</summary>
    public async Task<IReadOnlyList<DoctorCheck>> RunAsync(DoctorInputs inputs, CancellationToken cancel = default)
    {
        var version = await NftChecks.VersionAsync(nft, cancel);
        var checks = new List<DoctorCheck> { version };
        var nftWorks = version.Status != CheckStatus.Fail;
        foreach (var check in Checks(inputs, new Listings(nft, inputs.Config, cancel), host ?? new SystemHost(), cancel))
        {
            checks.Add(Unmet(check.Needs, nftWorks, inputs) is { } skipped
                ? DoctorCheck.Warn(check.Name, skipped.Why, skipped.Fix)
                : await ListedAsync(check, inputs.Config));
        }

        return checks;
    }

    /// <summary>Why a check with these needs cannot run here, or null when it can.</summary>
    private static (string Why, string Fix)? Unmet(DoctorNeeds needs, bool nftWorks, DoctorInputs inputs)
    {
        var listing = (needs & (DoctorNeeds.Ruleset | DoctorNeeds.Table)) != 0;
        if ((listing || needs.HasFlag(DoctorNeeds.Nft)) && !nftWorks)
        {
            return (ServerTexts.NftBroken, ServerTexts.InstallNftFirst);
        }

        if ((listing || needs.HasFlag(DoctorNeeds.Root)) && !inputs.Privileged)
        {
            return (ServerTexts.NeedsRoot, ServerTexts.SudoFix);
        }

        return needs.HasFlag(DoctorNeeds.Config) && inputs.Config is null ? (ServerTexts.NoConfig, ServerTexts.ConfigFix) : null;
    }

    /// <summary>
    /// Runs a check; one that reads a listing fails with nft's own words when nft fails, or prints what
    /// nftknock cannot read, and doctor goes on with the rest.
    /// </summary>
    private static async Task<DoctorCheck> ListedAsync(Check check, ServerConfig? config)
    {
        if ((check.Needs & (DoctorNeeds.Ruleset | DoctorNeeds.Table)) == 0)
        {
            return await check.Run();
        }

        var command = check.Needs.HasFlag(DoctorNeeds.Ruleset) ? ListRuleset : $"nft -j list table inet {config?.Table}";
        try
        {
            return await check.Run();
        }
        catch (NftException e)
        {
            return DoctorCheck.Fail(check.Name, ServerTexts.ListingFailed(command, e.FirstError), ServerTexts.ListingFailedFix(command));
        }
        catch (FormatException)
        {
            return DoctorCheck.Fail(check.Name, ServerTexts.ListingUnreadable(command), ServerTexts.ListingUnreadableFix);
        }
    }
}
