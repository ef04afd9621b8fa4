using System.Globalization;
using NftKnock.Core.Model;

namespace NftKnock.Server.Doctor;

/// <summary>
/// Finds other tables' input base chains that drop a protected port: in nftables a drop in any
/// base chain is final, so guard mode's accept cannot get a knocked client past them. Reads the
/// listing only; other tables are never changed.
/// </summary>
public static partial class ForeignChains
{
    /// <summary>The check's name.</summary>
    public const string Name = "host firewall";

    private static readonly string[] Families = ["inet", "ip", "ip6"];

    /// <summary>Checks <c>nft -j list ruleset</c> output against the config's protected ports.</summary>
    public static DoctorCheck Check(string rulesetJson, ServerConfig config)
    {
        var ruleset = Ruleset.Parse(rulesetJson);
        var problems = new List<string>();
        var unsure = new List<string>();
        var baseChains = ruleset.Chains.Values
            .Where(c => c.Hook == "input" && Families.Contains(c.Family) && !(c.Family == "inet" && c.Table == config.Table))
            .ToList();
        foreach (var chain in baseChains)
        {
            foreach (var range in config.Doors.SelectMany(d => d.Protect).Distinct())
            {
                var where = $"table {chain.Family} {chain.Table} chain {chain.Name} (priority {chain.Priority})";
                switch (ruleset.Evaluate(chain, range.First, range.Protocol, 0))
                {
                    case Verdict.Drop:
                        problems.Add($"{where} has a rule that drops {range}");
                        break;
                    case Verdict.Unknown:
                        unsure.Add($"{where}: a rule for {range} uses a named set or something else nftknock cannot read");
                        break;
                    case Verdict.Fallthrough when chain.Policy == "drop":
                        problems.Add($"{where} has policy drop and no rule that accepts {range}");
                        break;
                }
            }
        }

        const string Fix = "Let the protected ports through the host firewall (for example 'tcp dport 22 accept' before its drop rules): nftknock's guard decides who may connect, and a drop in any base chain is final. Or run nftknock in firewall mode on a host without another firewall.";
        if (problems.Count > 0)
        {
            return DoctorCheck.Fail(Name, $"guard mode cannot work: {string.Join("; ", problems)}", Fix);
        }

        if (unsure.Count > 0)
        {
            return DoctorCheck.Warn(Name, string.Join("; ", unsure), "Check by hand that the host firewall accepts the protected ports (nft list ruleset).");
        }

        return DoctorCheck.Pass(Name, baseChains.Count == 0
            ? "no other table has an input chain"
            : string.Create(CultureInfo.InvariantCulture, $"{baseChains.Count} other input chain(s) let the protected ports through"));
    }
}
