using System.Globalization;
using NftKnock.Core.Model;

namespace NftKnock.Core.Ruleset;

/// <summary>What a completed knock does: the grant of an address or its network, its counters and its log line.</summary>
public static partial class Planner
{
    /// <summary>Log lines per second that one door (one client of a door with clients) may write, for grants and replays each.</summary>
    public const int LogRate = 10;

    /// <summary>Log lines one door (client) may write at once before <see cref="LogRate"/> holds it back.</summary>
    public const int LogBurst = 20;

    /// <summary>
    /// The kernel log prefix of a grant (<paramref name="what"/> <c>open</c>) or a refused replay
    /// (<c>replay</c>): <c>nftknock ssh open: </c>, or <c>nftknock ssh open client=alice: </c> for a
    /// client of a rotating door with clients. The kernel appends <c>IN=... SRC=...</c> to it.
    /// </summary>
    public static string LogPrefix(string door, string what, string? client) =>
        NftText.Quoted(client is null ? $"nftknock {door} {what}: " : $"nftknock {door} {what} client={client}: ");

    /// <summary>
    /// The grant at the end of a completed knock, for <paramref name="client"/> of a door with clients:
    /// the source's network of the door's (client's) prefix length goes into the grant set of that length.
    /// </summary>
    private static string Grant(Door door, Families family, RotatingClient? client)
    {
        // update restarts a running grant's timeout; add leaves it as it is.
        var verb = door.Refresh == Refresh.Update ? "update" : "add";
        var length = door.GrantPrefixOf(client).For(family);
        var key = Masked(family, length);
        var then = door.Log ? $"goto {Names.OpenLog(door.Name, client?.Name)}" : Refusal(door);
        return $"{verb} @{Names.Open(door.Name, family, length)} {{ {key} timeout {Duration.Format(door.OpenFor)} }} {Counted(door, "grants", client)} {then}";
    }

    /// <summary>The door's counter of <paramref name="kind"/>, and the client's own too for a client of a door with clients.</summary>
    private static string Counted(Door door, string kind, RotatingClient? client) =>
        client is null
            ? $"counter name \"{Names.Counter(door.Name, kind)}\""
            : $"counter name \"{Names.Counter(door.Name, kind)}\" counter name \"{Names.Counter(door.Name, kind, client.Name)}\"";

    /// <summary>The source address, or its network of <paramref name="length"/> bits: <c>ip saddr &amp; 255.255.255.0</c>.</summary>
    private static string Masked(Families family, int length) =>
        length == family.AddressBits() ? Saddr(family) : $"{Saddr(family)} & {GrantPrefix.Mask(family, length)}";

    /// <summary>
    /// The chains that write a door's (client's) log lines. A limit that is over its rate ends its rule,
    /// so it never sits in a grant's rule, where it would skip the grant: the grant goes here when it is
    /// done, and the refusal below runs whether or not the line was written.
    /// </summary>
    private static void LogChains(PlanContext ctx, Door door, RotatingClient? client)
    {
        if (!door.Log)
        {
            return;
        }

        ctx.Add(LogChain(door, Names.OpenLog(door.Name, client?.Name), "open", client));
        if (door.Rotating is not null)
        {
            ctx.Add(LogChain(door, Names.ReplayLog(door.Name, client?.Name), "replay", client));
        }
    }

    private static ChainBuilder LogChain(Door door, string name, string what, RotatingClient? client)
    {
        var to = door.LogGroup is { } group ? string.Create(CultureInfo.InvariantCulture, $"group {group}") : "level info";
        return new ChainBuilder(
                name,
                string.Create(CultureInfo.InvariantCulture, $"At most {LogRate} lines a second, {LogBurst} at once. A limit over its rate ends its rule: here, apart from the grant, the verdict below comes either way."))
            .Rule($"limit rate {LogRate.ToString(CultureInfo.InvariantCulture)}/second burst {LogBurst.ToString(CultureInfo.InvariantCulture)} packets log prefix \"{LogPrefix(door.Name, what, client?.Name)}\" {to}")
            .Rule(Refusal(door));
    }
}
