using System.Net;
using NftKnock.Core.Model;
using NftKnock.Server.Nftables;

namespace NftKnock.Server.Tables;

/// <summary>
/// The host's nat rules, read once from the tables that may hold them (<see cref="INftables.ListNatTablesAsync"/>): from each prerouting nat base chain of
/// another table, down its jumps, every DNAT or redirect statement with what the rules on its way match
/// (protocols, destination ports). Apply plans the DNAT targets of protected ports from it, and doctor's
/// published ports check reads the same statements: one interpreter of the host's nat rules.
/// </summary>
public sealed partial class NatRules
{
    private NatRules(IReadOnlyList<Statement> statements) => Statements = statements;

    /// <summary>No nat rules at all.</summary>
    public static NatRules None { get; } = new([]);

    /// <summary>The DNAT and redirect statements, in the order the walk met them.</summary>
    internal IReadOnlyList<Statement> Statements { get; }

    /// <summary>
    /// Lists the ruleset and reads its nat rules; none when nft cannot list it or prints what this reader
    /// cannot read (apply then goes on, and doctor's published ports check says what went wrong).
    /// </summary>
    public static async Task<NatRules> ListAsync(INftables nft, string ourTable, CancellationToken cancel = default)
    {
        try
        {
            return Read(await nft.ListNatTablesAsync(ourTable, cancel), ourTable);
        }
        catch (Exception e) when (e is NftException or FormatException or NotSupportedException)
        {
            return None;
        }
    }

    /// <summary>Reads the nat rules of every table but <paramref name="ourTable"/> from <c>nft -j list ruleset</c> output.</summary>
    /// <exception cref="FormatException">The text is not a ruleset listing.</exception>
    public static NatRules Read(string rulesetJson, string ourTable) => Read(ForeignRuleset.Parse(rulesetJson, ourTable));

    /// <summary>Reads the nat rules of the other tables.</summary>
    internal static NatRules Read(ForeignRuleset ruleset) => new(Walk(ruleset));

    /// <summary>
    /// Where the DNAT rules send the config's protected ports: each target address with its ports, for the
    /// door that protects the published port. Rules whose ports or target nft cannot show name no target.
    /// </summary>
    public IReadOnlyList<PublishedTarget> Targets(ServerConfig config)
    {
        var targets = new List<PublishedTarget>();
        foreach (var statement in Statements.Where(s => s.Address is not null && s.RedirectPort is null && s.Path.Unreadable is null))
        {
            foreach (var door in config.Doors)
            {
                foreach (var range in door.Protect.Where(statement.Path.MayPass))
                {
                    var ports = statement.Path.Ports ?? PortSet.All;
                    if (statement.Port is { } port)
                    {
                        targets.Add(new PublishedTarget(door.Name, statement.Address!, new PortRange(port, port, range.Protocol)));
                        continue;
                    }

                    // A DNAT without a port keeps the one the client addressed.
                    foreach (var (first, last) in ports.Intersect(PortSet.Of([(range.First, range.Last)])).Intervals)
                    {
                        targets.Add(new PublishedTarget(door.Name, statement.Address!, new PortRange(first, last, range.Protocol)));
                    }
                }
            }
        }

        return targets.Distinct().ToList();
    }

    /// <summary>What the rules on the way to a statement match: protocols and ports, and the first iptables match met.</summary>
    internal sealed record PathMatch(PortMatch Match, string? XtMatch)
    {
        public static PathMatch Any { get; } = new(PortMatch.Any, null);

        /// <summary>An iptables match narrows what it is in; it only hides the ports when nothing else names them.</summary>
        public PortMatch Final => Match is { Ports: null, Unreadable: null } && XtMatch is { } xt ? Match with { Unreadable = ServerTexts.PortsInXtMatch(xt) } : Match;
    }

    /// <summary>
    /// A DNAT (<see cref="Target"/>: where to, null when iptables hides it; <see cref="Address"/> and
    /// <see cref="Port"/> when nft shows them) or a redirect to <see cref="RedirectPort"/>.
    /// </summary>
    internal sealed record Statement(string Where, string? Target, int? RedirectPort, PortMatch Path)
    {
        /// <summary>The target's one address, when the rule names one.</summary>
        public IPAddress? Address { get; init; }

        /// <summary>The target's port; null when the DNAT keeps the port the client addressed (or names a range).</summary>
        public int? Port { get; init; }
    }
}
