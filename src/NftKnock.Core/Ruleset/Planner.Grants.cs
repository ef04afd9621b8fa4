using System.Globalization;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Core.Ruleset;

/// <summary>What a completed knock does: the grant of an address or its network, its counters and its log line.</summary>
public static partial class Planner
{
    /// <summary>Log lines per second that one source may have a door write, grants and replays together.</summary>
    public const int LogRate = 10;

    /// <summary>Log lines one source may have a door write at once before <see cref="LogRate"/> holds it back.</summary>
    /// <summary>How long a source's log budget outlives its last line: long past a full refill of its burst.</summary>
    public static readonly TimeSpan LogBudgetSpan = TimeSpan.FromMinutes(1);

    /// <summary>Sources with a log budget per door and family: a flood of distinct spoofed sources beyond this loses lines.</summary>
    public const int LogSetSize = 65536;

    public const int LogBurst = 20;

    /// <summary>
    /// The grant at the end of a completed knock, for <paramref name="client"/> of a door with clients:
    /// the source's network of the door's (client's) prefix length goes into the grant set of that length.
    /// </summary>
    private static string Grant(Door door, Families family, RotatingClient? client) =>
        door.LimitOf(client).IsNone ? GrantNow(door, family, client) : $"goto {Names.Limit(door.Name, family, client?.Name)}";

    /// <summary>The grant itself, once any time limit has let the knock through.</summary>
    private static string GrantNow(Door door, Families family, RotatingClient? client)
    {
        // update restarts a running grant's timeout; add leaves it as it is.
        var verb = door.Refresh == Refresh.Update ? "update" : "add";
        var length = door.GrantPrefixOf(client).For(family);
        var key = Masked(family, length);
        var then = client is not null ? Logged(door, family, LogKind.Grant, client) : door.Log ? $" goto {Names.OpenLog(door.Name)}" : $" {Refusal(door)}";
        return $"{verb} @{Names.Open(door.Name, family, length)} {{ {key} timeout {Duration.Format(door.OpenFor)} }} {Counted(door, CounterKind.Grants, client)}{then}";
    }

    /// <summary>
    /// What ends a client's grant or replay rule: its log line written in the rule itself, after the grant
    /// and the counters, since a limit over its rate ends the rule there and the chain's refusal follows
    /// either way; with a time limit, a goto to the client's log chain, which the limit chain's grant
    /// shares; without logging, the refusal.
    /// </summary>
    private static string Logged(Door door, Families family, LogKind kind, RotatingClient client) =>
        !door.Log ? $" {Refusal(door)}"
        : !door.LimitOf(client).IsNone ? $" goto {Names.ClientLog(door.Name, client.Name)}"
        : $" {LogLine(door, family, kind, client)}";

    /// <summary>A rate-limited log line: the source's budget in the door's log set, then the line to the door's NFLOG group.</summary>
    private static string LogLine(Door door, Families family, LogKind kind, RotatingClient? client)
    {
        // NFLOG, not the kernel log: the kernel log takes lines from every namespace (nf_log_all_netns), a group only this one's.
        var to = string.Create(CultureInfo.InvariantCulture, $"group {door.LogGroup ?? LogPrefix.Group}");
        var limit = string.Create(CultureInfo.InvariantCulture, $"timeout {Duration.Format(LogBudgetSpan)} limit rate {LogRate}/second burst {LogBurst} packets");
        var prefix = NftText.Quoted(new LogPrefix(door.Name, kind, client?.Name).Format());

        // The budget is keyed by the source, so one source's flood cannot use up another's line.
        return $"update @{Names.Logged(door.Name, family)} {{ {Saddr(family)} {limit} }} log prefix \"{prefix}\" {to}";
    }

    /// <summary>The door's counter of <paramref name="kind"/>, and the client's own too for a client of a door with clients.</summary>
    private static string Counted(Door door, CounterKind kind, RotatingClient? client) =>
        client is null
            ? $"counter name \"{Names.Counter(door.Name, kind)}\""
            : $"counter name \"{Names.Counter(door.Name, kind)}\" counter name \"{Names.Counter(door.Name, kind, client.Name)}\"";

    /// <summary>The source address, or its network of <paramref name="length"/> bits: <c>ip saddr &amp; 255.255.255.0</c>.</summary>
    private static string Masked(Families family, int length) =>
        length == family.AddressBits() ? Saddr(family) : $"{Saddr(family)} & {GrantPrefix.Mask(family, length)}";

    /// <summary>
    /// The sets that hold each source's log budget, per family: one source's flood of grants or replays
    /// uses up its own budget only, so a grant of another source always gets its line.
    /// </summary>
    private static void LogSets(PlanContext ctx, Door door)
    {
        if (!door.Log)
        {
            return;
        }

        foreach (var family in Served(door))
        {
            ctx.Add(StateSet(Names.Logged(door.Name, family), [KeyField.Saddr(family)], LogSetSize));
        }
    }

    /// <summary>
    /// The chains that write a door's (client's) log lines. A limit that is over its rate ends its rule,
    /// so it never sits in a grant's rule, where it would skip the grant: the grant goes here when it is
    /// done, and the refusal below runs whether or not the line was written.
    /// </summary>
    private static void LogChains(PlanContext ctx, Door door, RotatingClient? client)
    {
        LimitChains(ctx, door, client);
        if (!door.Log)
        {
            return;
        }

        if (client is not null)
        {
            // A client's lines are written in its last-step chain; a time limit's grant needs a chain to go to.
            if (!door.LimitOf(client).IsNone)
            {
                ctx.Add(ClientLogChain(door, client));
            }
        }
        else
        {
            ctx.Add(LogChain(door, Names.OpenLog(door.Name), [(LogKind.Grant, null)], null));
            if (door.Rotating is not null)
            {
                ctx.Add(LogChain(door, Names.ReplayLog(door.Name), [(LogKind.Replay, null)], null));
            }
        }

        if (!door.LimitOf(client).IsNone)
        {
            ctx.Add(LogChain(door, Names.OutsideLog(door.Name, client?.Name), [(LogKind.Outside, null)], client));
        }
    }

    /// <summary>
    /// One chain for a client's grants and replays: both reach it after the window's owner is known, so
    /// whether the source owns the token tells the two apart. The owner's line comes first and the
    /// replay's rule matches only a source that does not own it, so a line held back by the limit
    /// never turns into the other.
    /// </summary>
    private static ChainBuilder ClientLogChain(Door door, RotatingClient client) =>
        LogChain(door, Names.ClientLog(door.Name, client.Name), [(LogKind.Grant, true), (LogKind.Replay, false)], client);

    /// <summary>
    /// A chain of rate-limited log lines: per family, each of <paramref name="lines"/>, written when the
    /// source owns the window's token (true), when it does not (false), or always (null).
    /// </summary>
    private static ChainBuilder LogChain(Door door, string name, IReadOnlyList<(LogKind Kind, bool? Owner)> lines, RotatingClient? client)
    {
        var chain = new ChainBuilder(
            name,
            string.Create(CultureInfo.InvariantCulture, $"At most {LogRate} lines a second per source, {LogBurst} at once. A limit over its rate ends its rule: here, apart from the grant, the verdict below comes either way."));
        foreach (var family in Served(door))
        {
            foreach (var (kind, owner) in lines)
            {
                var when = owner is { } owns ? $"@th,64,64 . {Saddr(family)} {(owns ? string.Empty : "!= ")}@{Names.Owners(door.Name, family)} " : string.Empty;
                chain.Rule($"{when}{LogLine(door, family, kind, client)}");
            }
        }

        return chain.Rule(Refusal(door));
    }
}
