using NftKnock.Core.Model;
using NftKnock.Server.Host;

namespace NftKnock.Server.Doctor;

/// <summary>
/// Finds the host's DNAT rules that publish a protected port (Docker's <c>-p 8080:80</c>, a NodePort, a
/// port forward) and says where nftknock guards it; warns where a rule cannot be read, so a protected
/// port may be published unseen. Reads the listing and iptables-legacy only; never changes a rule.
/// </summary>
public static partial class PublishedPorts
{
    /// <summary>The check's name.</summary>
    public const string Name = ServerTexts.CheckNames.Published;

    /// <summary>
    /// iptables-legacy's tools and the /proc/net file that lists the legacy tables that exist. Listing a
    /// table that does not exist would create it, and a nat table switches conntrack on, so doctor asks
    /// only when the table is there.
    /// </summary>
    private static readonly (string Binary, string Tables)[] Legacy = [("iptables-legacy", "ip_tables_names"), ("ip6tables-legacy", "ip6_tables_names")];

    /// <summary>Checks <c>nft -j list ruleset</c> output and iptables-legacy's nat rules against the config's protected ports.</summary>
    public static DoctorCheck Check(string rulesetJson, ServerConfig config, IHostProbe host)
    {
        var protect = config.Doors.SelectMany(d => d.Protect).Distinct().ToList();
        var guardMode = config.Mode == Mode.Guard;
        var published = new List<string>();
        var unsure = new List<string>();
        foreach (var statement in Walk(rulesetJson, config.Table))
        {
            Judge(statement, protect, guardMode, published, unsure);
        }

        foreach (var (binary, tables) in Legacy)
        {
            if (host.ReadProcNet(tables)?.Split('\n').Any(t => t.Trim() == "nat") != true)
            {
                continue;
            }

            try
            {
                foreach (var (rule, range) in LegacyRules(host.ListLegacyNat(binary) ?? string.Empty, protect))
                {
                    AddOnce(unsure, ServerTexts.LegacyDnat(binary, range, rule));
                }
            }
            catch (IOException e)
            {
                AddOnce(unsure, ServerTexts.LegacyFailed(binary, e.Message));
            }
        }

        if (unsure.Count > 0)
        {
            return DoctorCheck.Warn(Name, string.Join("; ", unsure.Concat(published)), ServerTexts.PublishedFix);
        }

        return DoctorCheck.Pass(Name, published.Count == 0 ? ServerTexts.NothingPublished : string.Join("; ", published));
    }

    private static void Judge(Statement statement, List<PortRange> protect, bool guardMode, List<string> published, List<string> unsure)
    {
        var path = statement.Path;
        if (statement.RedirectPort is { } port)
        {
            // In firewall mode the input hook sees the port after the redirect, so only guard mode can be walked around.
            if (guardMode)
            {
                RedirectAround(statement, port, protect, unsure);
            }

            return;
        }

        foreach (var range in protect.Where(r => path.Protocols.Contains(r.Protocol)))
        {
            if (path.Unreadable is { } why)
            {
                AddOnce(unsure, ServerTexts.DnatUnreadable(statement.Where, why, range));
            }
            else if (path.Ports is not { } ports)
            {
                AddOnce(unsure, ServerTexts.DnatAnyPort(statement.Where, range));
            }
            else if (ports.Overlaps(range.First, range.Last))
            {
                AddOnce(published, ServerTexts.PublishedGuarded(range, ServerTexts.DnatTo(statement.Target), statement.Where, guardMode));
            }
        }
    }

    private static void RedirectAround(Statement statement, int port, List<PortRange> protect, List<string> unsure)
    {
        var path = statement.Path;
        foreach (var protocol in path.Protocols)
        {
            if (path.Unreadable is not null || !protect.Any(r => r.Contains(port, protocol)))
            {
                continue;
            }

            var around = (path.Ports ?? PortSet.All).Except(protect.Where(r => r.Protocol == protocol).Select(r => (r.First, r.Last)));
            foreach (var (first, last) in around.Intervals)
            {
                AddOnce(unsure, ServerTexts.RedirectAround(statement.Where, new PortRange(first, last, protocol), new PortRange(port, port, protocol)));
            }
        }
    }

    private static void AddOnce(List<string> list, string item)
    {
        if (!list.Contains(item))
        {
            list.Add(item);
        }
    }
}
