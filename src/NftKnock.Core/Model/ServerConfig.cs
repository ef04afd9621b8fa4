using System.Net;

namespace NftKnock.Core.Model;

/// <summary>How the table composes with the host: guard (drop-only) or a complete firewall.</summary>
public enum Mode
{
    /// <summary>Only drops knocks and unknocked new connections; the host firewall decides the rest.</summary>
    Guard,

    /// <summary>A complete stealth firewall with policy drop.</summary>
    Firewall,
}

/// <summary>Which ICMP types firewall mode lets in.</summary>
public enum IcmpPolicy
{
    /// <summary>Errors, echo and IPv6 neighbour discovery.</summary>
    Essential,

    /// <summary>All ICMP and ICMPv6.</summary>
    All,

    /// <summary>Only what IPv6 cannot work without (neighbour discovery).</summary>
    None,
}

/// <summary>What a full knock does to a grant that is still running.</summary>
public enum Refresh
{
    /// <summary>Each full knock restarts the window.</summary>
    Update,

    /// <summary>A running grant keeps its expiry.</summary>
    Keep,
}

/// <summary>How a door's ports answer a source that it does not let through.</summary>
public enum Refuse
{
    /// <summary>Silence: the packet is dropped.</summary>
    Drop,

    /// <summary>A closed port's answer: a TCP reset, or ICMP port unreachable for UDP.</summary>
    Reset,
}

/// <summary>Settings that only firewall mode uses.</summary>
public sealed record FirewallSettings(
    IReadOnlyList<PortRange> Allow,
    IcmpPolicy Icmp,
    bool Reject,
    bool ForwardAccept)
{
    /// <summary>The defaults: nothing always open, essential ICMP, silent drop, forward drop.</summary>
    public static FirewallSettings Default { get; } = new([], IcmpPolicy.Essential, false, false);
}

/// <summary>One protected service and how to knock for it.</summary>
public sealed record Door(
    string Name,
    IReadOnlyList<PortRange> Protect,
    IReadOnlyList<Step> Sequence,
    TimeSpan StepTimeout,
    TimeSpan OpenFor,
    Refresh Refresh,
    bool CloseOnConnect,
    Families Families,
    IReadOnlyList<IPNetwork> Allow,
    bool Log)
{
    /// <summary>Default longest gap between two knocks.</summary>
    public static readonly TimeSpan DefaultStepTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Default grant length.</summary>
    public static readonly TimeSpan DefaultOpenFor = TimeSpan.FromSeconds(10);

    /// <summary>The rotating part, when the door's sequence is derived rather than listed; <see cref="Sequence"/> is then empty.</summary>
    public RotatingDoor? Rotating { get; init; }

    /// <summary>How the door's knock and protected ports answer sources that they do not let through.</summary>
    public Refuse Refuse { get; init; }

    /// <summary>Knock steps a source completes to get a grant, static or rotating.</summary>
    public int StepCount => Rotating?.Knocks ?? Sequence.Count;

    /// <summary>What a completed knock opens: the knocking address, or its network (<c>grant-prefix</c>).</summary>
    public GrantPrefix GrantPrefix { get; init; } = GrantPrefix.Full;

    /// <summary>The NFLOG group that grant and replay lines go to instead of the kernel log (<c>log-group</c>), or null.</summary>
    public int? LogGroup { get; init; }

    /// <summary>When the door grants (<c>expires</c>, <c>days</c>, <c>hours</c>, <c>timezone</c>); a client with its own limit uses that instead.</summary>
    public TimeLimit Limit { get; init; } = TimeLimit.None;

    /// <summary>When <paramref name="client"/>'s knocks are granted (the door's own for no client).</summary>
    public TimeLimit LimitOf(RotatingClient? client) => client?.Limit ?? Limit;

    /// <summary>The rotating door's clients when it lists <c>clients:</c>, each with its own identity in the kernel; empty otherwise.</summary>
    public IReadOnlyList<RotatingClient> Clients => Rotating is { HasClients: true } r ? r.Clients : [];

    /// <summary>What a completed knock of <paramref name="client"/> opens (the door's own for no client).</summary>
    public GrantPrefix GrantPrefixOf(RotatingClient? client) => client?.GrantPrefix ?? GrantPrefix;

    /// <summary>
    /// Every step chain of the door, in step order: one per step, except that a rotating door with
    /// <c>clients:</c> has its last step once per client, so the kernel knows whose knock completed.
    /// The planner writes these chains, rotate points its map at them, and status and doctor find a
    /// door's knocks through them.
    /// </summary>
    public IEnumerable<StepChain> StepChains() =>
        Enumerable.Range(1, StepCount).SelectMany(k => Clients.Count > 0 && k == StepCount
            ? Clients.Select(c => StepChainOf(k, c.Name))
            : [StepChainOf(k, null)]);

    /// <summary>The chain a knock of step <paramref name="k"/> goes to: the client's own for the last step of a door with <c>clients:</c>, else the door's.</summary>
    public StepChain StepChainOf(int k, string? client)
    {
        var own = Clients.Count > 0 && k == StepCount ? client : null;
        return new StepChain(k, own, Ruleset.Names.StepChain(Name, k, own));
    }

    /// <summary>The prefix lengths that grants over <paramref name="family"/> use, longest first: one grant set each.</summary>
    public IReadOnlyList<int> GrantLengths(Families family) =>
        (Clients.Count > 0 ? Clients.Select(c => GrantPrefixOf(c).For(family)) : [GrantPrefix.For(family)])
            .Distinct().OrderDescending().ToList();
}

/// <summary>One step chain of a door (see <see cref="Door.StepChains"/>).</summary>
/// <param name="Step">The knock step it handles, from 1.</param>
/// <param name="Client">The name of the client whose last step it is, or null for a step every client shares.</param>
/// <param name="Name">The chain's name in the table.</param>
public sealed record StepChain(int Step, string? Client, string Name);

/// <summary>A validated server configuration.</summary>
public sealed record ServerConfig(string Table, Mode Mode, FirewallSettings Firewall, IReadOnlyList<Door> Doors)
{
    /// <summary>The table name used when the config names none.</summary>
    public const string DefaultTable = "nftknock";

    /// <summary>Where the server config lives unless -c says otherwise.</summary>
    public const string DefaultPath = "/etc/nftknock/nftknock.yaml";
}
