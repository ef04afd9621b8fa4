using System.Globalization;
using System.Text.RegularExpressions;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Nftables;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Doctor;

/// <summary>The nft binary's version, and the kernel features the ruleset uses, probed with dry runs.</summary>
public static partial class NftChecks
{
    /// <summary>The version check's name.</summary>
    public const string VersionName = ServerTexts.CheckNames.NftVersion;

    /// <summary>The feature check's name.</summary>
    public const string FeaturesName = ServerTexts.CheckNames.KernelFeatures;

    /// <summary>The nft release nftknock's ruleset was verified on.</summary>
    public static readonly Version Verified = new(1, 0, 6);

    private const string ProbeTable = "nftknock_doctor_probe";

    /// <summary>Each probe: what it shows, and a table that uses it (only ever sent with --check, so nothing is created).</summary>
    private static readonly (string Feature, string Body)[] Probes =
    [
        ("dynamic sets with timeouts, updated and deleted from the packet path",
            "set s {\n\t\ttypeof ip saddr\n\t\tsize 16\n\t\tflags dynamic,timeout\n\t}\n\tchain c {\n\t\ttype filter hook input priority filter - 10; policy accept;\n\t\tupdate @s { ip saddr timeout 1s } drop\n\t\tdelete @s { ip saddr }\n\t}"),
        ("verdict maps keyed by protocol and port",
            "chain g {\n\t\tdrop\n\t}\n\tmap m {\n\t\ttypeof meta l4proto . th dport : verdict\n\t\tflags interval\n\t\telements = { tcp . 22 : goto g, udp . 6000-6010 : goto g }\n\t}\n\tchain c {\n\t\ttype filter hook input priority filter - 10; policy accept;\n\t\tmeta l4proto . th dport vmap @m\n\t}"),
        ("named counters and log",
            "counter n {}\n\tchain c {\n\t\ttype filter hook input priority filter - 10; policy accept;\n\t\tudp dport 7000 counter name \"n\" log prefix \"" + LogPrefix.Probe + "\" drop\n\t}"),
        ("reject with tcp reset and icmpx (firewall mode)",
            "chain c {\n\t\ttype filter hook input priority filter - 10; policy accept;\n\t\tmeta l4proto tcp reject with tcp reset\n\t\treject with icmpx type port-unreachable\n\t}"),
    ];

    /// <summary>Fails without nft or before 1.0, warns before the verified release.</summary>
    public static async Task<DoctorCheck> VersionAsync(INftables nft, CancellationToken cancel)
    {
        string line;
        try
        {
            line = await nft.VersionAsync(cancel);
        }
        catch (NftException e) when (e.Kind == NftFailureKind.NotInstalled)
        {
            return DoctorCheck.Fail(VersionName, ServerTexts.NftMissing, ServerTexts.NftMissingFix);
        }
        catch (NftException e)
        {
            return DoctorCheck.Fail(VersionName, ServerTexts.NftVersionFailed(e.FirstError), ServerTexts.NftVersionFailedFix);
        }

        var match = VersionPattern().Match(line);
        if (!match.Success)
        {
            return DoctorCheck.Warn(VersionName, ServerTexts.NftVersionUnreadable(line), ServerTexts.InstallNft(Verified));
        }

        var version = new Version(
            int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
            match.Groups[3].Success ? int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : 0);
        return version switch
        {
            _ when version >= Verified => DoctorCheck.Pass(VersionName, ServerTexts.NftVersionOk(version)),
            { Major: >= 1 } => DoctorCheck.Warn(VersionName, ServerTexts.NftOlder(version, Verified), ServerTexts.UpgradeNft(Verified)),
            _ => DoctorCheck.Fail(VersionName, ServerTexts.NftTooOld(version), ServerTexts.UpgradeNftDebian(Verified)),
        };
    }

    /// <summary>Dry-runs one small table per feature, then the config's own batch when there is a plan.</summary>
    public static async Task<DoctorCheck> FeaturesAsync(INftables nft, RulesetPlan? plan, CancellationToken cancel)
    {
        var missing = new List<string>();
        try
        {
            foreach (var (feature, body) in Probes)
            {
                try
                {
                    await nft.RunAsync($"table inet {ProbeTable} {{\n\t{body}\n}}\n", checkOnly: true, cancel);
                }
                catch (NftException e) when (e.Kind == NftFailureKind.Refused)
                {
                    missing.Add(ServerTexts.FeatureRefused(feature, e.FirstError));
                }
            }

            if (plan is not null)
            {
                try
                {
                    await new TableService(nft).CheckAsync(plan, string.Empty, cancel);
                }
                catch (NftException e) when (e.Kind == NftFailureKind.Refused)
                {
                    missing.Add(ServerTexts.ConfigRulesetRefused(e.FirstError));
                }
            }
        }
        catch (NftException e) when (e.Kind == NftFailureKind.PermissionDenied)
        {
            return DoctorCheck.Warn(FeaturesName, ServerTexts.DryRunsNeedRoot, ServerTexts.SudoFix);
        }

        return missing.Count == 0
            ? DoctorCheck.Pass(FeaturesName, ServerTexts.FeaturesOk(withConfig: plan is not null))
            : DoctorCheck.Fail(FeaturesName, ServerTexts.FeaturesRefused(missing), ServerTexts.FeaturesFix);
    }

    [GeneratedRegex(@"v(\d+)\.(\d+)(?:\.(\d+))?")]
    private static partial Regex VersionPattern();
}
