namespace NftKnock.Core.Model;

/// <summary>
/// A door whose sequence is derived from a secret and the time window instead of listed: each
/// window has its own UDP ports and payload tokens, so a captured knock cannot be replayed later.
/// </summary>
/// <param name="Knocks">Steps per window.</param>
/// <param name="Period">Length of one window.</param>
/// <param name="Ports">The UDP ports that knocks are drawn from.</param>
/// <param name="Exclude">Ports inside <paramref name="Ports"/> that are never drawn.</param>
/// <param name="Clients">Who may knock: one secret each.</param>
public sealed record RotatingDoor(
    int Knocks,
    TimeSpan Period,
    PortRange Ports,
    IReadOnlyList<PortRange> Exclude,
    IReadOnlyList<RotatingClient> Clients)
{
    /// <summary>Default steps per window.</summary>
    public const int DefaultKnocks = 3;

    /// <summary>Default window length.</summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromSeconds(30);

    /// <summary>Default port range.</summary>
    public static readonly PortRange DefaultPorts = new(10000, 65000, Protocol.Udp);

    /// <summary>
    /// True when the config lists <c>clients:</c>: each client then has its own last step, grant and
    /// replay counters and log lines in the kernel. A single <c>secret-file:</c> has one client that is the door.
    /// </summary>
    public bool HasClients { get; init; }

    /// <summary>The derivation parameters for this door, shared with the clients' profiles.</summary>
    public RotatingSpec Spec(string door) => new(door, Knocks, Period, Ports, Exclude);
}

/// <summary>One holder of a rotating door's secret.</summary>
/// <param name="Name">The client's name (the door's name when the door has a single secret-file).</param>
/// <param name="SecretFile">Where the secret lives, as the config wrote it.</param>
/// <param name="Secret">The decoded secret; empty when the config was read without its secret files.</param>
public sealed record RotatingClient(string Name, string SecretFile, ReadOnlyMemory<byte> Secret)
{
    /// <summary>The client's own <c>grant-prefix</c>, with the door's for a family it leaves out; null to use the door's.</summary>
    public GrantPrefix? GrantPrefix { get; init; }

    /// <summary>The client's own time limit; null to use the door's.</summary>
    public TimeLimit? Limit { get; init; }
}

/// <summary>Everything both sides must agree on to derive a rotating door's knocks, except the secret.</summary>
/// <param name="Door">The door's name, part of every derivation.</param>
/// <param name="Knocks">Steps per window.</param>
/// <param name="Period">Window length, a whole number of milliseconds.</param>
/// <param name="Ports">The range ports are drawn from.</param>
/// <param name="Exclude">Ports never drawn.</param>
public sealed record RotatingSpec(string Door, int Knocks, TimeSpan Period, PortRange Ports, IReadOnlyList<PortRange> Exclude)
{
    /// <summary>A spec with the defaults for everything but the door's name.</summary>
    public static RotatingSpec Default(string door) =>
        new(door, RotatingDoor.DefaultKnocks, RotatingDoor.DefaultPeriod, RotatingDoor.DefaultPorts, []);

    /// <summary>True when <paramref name="port"/> can be drawn: inside the range and not excluded.</summary>
    public bool Allows(int port)
    {
        if (port < Ports.First || port > Ports.Last)
        {
            return false;
        }

        for (var i = 0; i < Exclude.Count; i++)
        {
            if (port >= Exclude[i].First && port <= Exclude[i].Last)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// How many ports can be drawn: the range less the union of the exclusions inside it. Counted
    /// over the exclusions rather than port by port, since every client reads this as it starts and
    /// the default range holds 55,001 ports.
    /// </summary>
    public int FreePorts
    {
        get
        {
            var free = Ports.Last - Ports.First + 1;
            var next = Ports.First; // one past the highest port already taken off
            foreach (var exclusion in Exclude.OrderBy(e => e.First))
            {
                var from = Math.Max(exclusion.First, next);
                var to = Math.Min(exclusion.Last, Ports.Last);
                if (from <= to)
                {
                    free -= to - from + 1;
                    next = to + 1;
                }
            }

            return free;
        }
    }
}
