using System.Net;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Host;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Doctor;

/// <summary>
/// Finds the host's DNAT rules that publish a protected port (Docker's <c>-p 8080:80</c>, a NodePort, a
/// VIP's port forward) and says whether the loaded table guards it, after DNAT and straight at the target;
/// warns where a rule cannot be read, so a protected port may be published unseen. Reads the listings and
/// iptables-legacy only; never changes a rule.
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

    /// <summary>
    /// Checks the host's nat rules (and iptables-legacy's) against the config's protected ports and the loaded
    /// table (<paramref name="loaded"/>, null when it is not loaded): a published port is guarded only when the
    /// table decides it after DNAT, and where the DNAT sends it is guarded too when forwarded traffic reaches it.
    /// </summary>
    public static DoctorCheck Check(NatRules nat, ServerConfig config, IHostProbe host, TableReading? loaded)
    {
        var protect = config.Doors.SelectMany(d => d.Protect).Distinct().ToList();
        var published = new List<string>();
        var unsure = new List<string>();
        var exposed = new List<string>();
        foreach (var statement in nat.Statements.Where(s => s.RedirectPort is null))
        {
            Judge(statement, protect, loaded, published, unsure, exposed);
        }

        if (loaded is not null && (config.Mode == Mode.Guard || config.Firewall.ForwardAccept))
        {
            foreach (var target in nat.Targets(config).Where(t => !Holds(loaded, t)))
            {
                AddOnce(exposed, ServerTexts.TargetExposed(target.Address, target.Ports, target.Door));
            }
        }

        LegacyChecks(protect, host, unsure);
        if (exposed.Count > 0)
        {
            return DoctorCheck.Fail(Name, string.Join("; ", exposed.Concat(unsure).Concat(published)), ServerTexts.NotGuardedFix(config.Table));
        }

        if (unsure.Count > 0)
        {
            return DoctorCheck.Warn(Name, string.Join("; ", unsure.Concat(published)), ServerTexts.PublishedFix);
        }

        return DoctorCheck.Pass(Name, published.Count == 0 ? ServerTexts.NothingPublished : string.Join("; ", published));
    }

    private static void LegacyChecks(List<PortRange> protect, IHostProbe host, List<string> unsure)
    {
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
    }

    private static void Judge(NatRules.Statement statement, List<PortRange> protect, TableReading? loaded, List<string> published, List<string> unsure, List<string> exposed)
    {
        var path = statement.Path;
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
                var dnat = ServerTexts.DnatTo(statement.Target);
                AddOnce(
                    loaded is not null && GuardsAfterDnat(loaded, range) ? published : exposed,
                    loaded is null ? ServerTexts.PublishedNotLoaded(range, dnat, statement.Where) : GuardsAfterDnat(loaded, range)
                        ? ServerTexts.PublishedGuarded(range, dnat, statement.Where)
                        : ServerTexts.PublishedUnguarded(range, dnat, statement.Where));
            }
        }
    }

    /// <summary>Whether the loaded table sends a DNATed connection to <paramref name="range"/> to a guard: its forward chain and the port's map.</summary>
    private static bool GuardsAfterDnat(TableReading loaded, PortRange range)
    {
        var map = range.Protocol == Protocol.Tcp ? Names.ProtectedTcp : Names.ProtectedUdp;
        return loaded.Model.Find<NftChain>(Names.Forward) is { Hook.Hook: "forward" }
            && loaded.Model.Find<NftMap>(map) is { } ports
            && ports.Elements.Any(e => e.Key.Count == 1 && Covers(e.Key[0], range.First, range.Last));
    }

    /// <summary>Whether the loaded table's published map sends <paramref name="target"/> to a guard.</summary>
    private static bool Holds(TableReading loaded, PublishedTarget target) =>
        loaded.Model.Find<NftMap>(Names.Published(target.Family)) is { } map
        && map.Elements.Any(e => e.Key.Count == 3 && IPAddress.TryParse(e.Key[0], out var a) && a.Equals(target.Address)
            && e.Key[1] == target.Ports.Protocol.Name() && Covers(e.Key[2], target.Ports.First, target.Ports.Last));

    /// <summary>Whether a map key's ports, <c>22</c> or <c>6000-6010</c>, hold every port from <paramref name="first"/> to <paramref name="last"/>.</summary>
    private static bool Covers(string key, int first, int last) =>
        PortRange.TryParse(key, Protocol.Tcp, out var held) && held.First <= first && last <= held.Last;

    private static void AddOnce(List<string> list, string item)
    {
        if (!list.Contains(item))
        {
            list.Add(item);
        }
    }
}
