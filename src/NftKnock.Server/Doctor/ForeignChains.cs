using NftKnock.Core.Model;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Doctor;

/// <summary>
/// Finds other tables' input and prerouting filter chains that drop a protected port: in nftables a
/// drop in any base chain is final, so guard mode's accept cannot get a knocked client past them.
/// Reads the listing only; other tables are never changed.
/// </summary>
public static partial class ForeignChains
{
    /// <summary>The check's name.</summary>
    public const string Name = ServerTexts.CheckNames.HostFirewall;

    private static readonly string[] Families = ["inet", "ip", "ip6"];

    /// <summary>Checks <c>nft -j list ruleset</c> output against the config's protected ports.</summary>
    /// <exception cref="FormatException">The text is not a ruleset listing.</exception>
    public static DoctorCheck Check(string rulesetJson, ServerConfig config) => Check(ForeignRuleset.Parse(rulesetJson, config.Table), config);

    /// <summary>Checks the other tables' chains against the config's protected ports.</summary>
    internal static DoctorCheck Check(ForeignRuleset ruleset, ServerConfig config)
    {
        var problems = new List<string>();
        var unsure = new List<string>();
        var baseChains = ruleset.Chains.Values
            .Where(c => (c.Hook == "input" || c is { Hook: "prerouting", Type: "filter" }) && Families.Contains(c.Family))
            .ToList();
        foreach (var chain in baseChains)
        {
            foreach (var range in config.Doors.SelectMany(d => d.Protect).Distinct())
            {
                var where = ServerTexts.ForeignChain(chain.Family, chain.Table, chain.Name, chain.Priority);
                switch (Evaluate(ruleset, chain, range.First, range.Protocol, 0))
                {
                    case Verdict.Drop:
                        problems.Add(ServerTexts.ForeignDrop(where, range));
                        break;
                    case Verdict.Unknown:
                        unsure.Add(ServerTexts.ForeignUnsure(where, range));
                        break;
                    case Verdict.Fallthrough when chain.Policy == "drop":
                        problems.Add(ServerTexts.ForeignPolicyDrop(where, range));
                        break;
                }
            }
        }

        if (problems.Count > 0)
        {
            return DoctorCheck.Fail(Name, ServerTexts.GuardBlocked(problems), ServerTexts.GuardBlockedFix);
        }

        if (unsure.Count > 0)
        {
            return DoctorCheck.Warn(Name, string.Join("; ", unsure), ServerTexts.ForeignUnsureFix);
        }

        return DoctorCheck.Pass(Name, baseChains.Count == 0
            ? ServerTexts.NoForeignChains
            : ServerTexts.ForeignChainsOk(baseChains.Count));
    }
}
