using System.Globalization;

namespace NftKnock.Core.Ruleset;

/// <summary>
/// The names of everything in our table. They are a contract: status reads state back by these
/// names, so it works from the table alone, without the config.
/// </summary>
public static class Names
{
    /// <summary>The base chain on the input hook.</summary>
    public const string Input = "input";

    /// <summary>The base chain on the forward hook (firewall mode).</summary>
    public const string Forward = "forward";

    /// <summary>The verdict map from <c>meta l4proto . th dport</c> to step and guard chains.</summary>
    public const string Dispatch = "dispatch";

    /// <summary>Ports that firewall mode opens to everyone.</summary>
    public const string FirewallAllow = "fw_allow";

    /// <summary>The chain that answers like a closed host (firewall mode with reject, doors with refuse: reset).</summary>
    public const string Refuse = "refuse";

    /// <summary>Guard mode's chain for IPv6 fragments, which nothing reassembles before the input hook.</summary>
    public const string Fragments = "fragments";

    /// <summary>The verdict map from <c>udp dport . @th,64,64</c> (port and token) to rotating doors' step chains.</summary>
    public const string Rotating = "rotating";

    /// <summary>The counter kind rotating doors add: replays refused because another address owns the window.</summary>
    public const string Replays = "replays";

    /// <summary>Set suffix of a family.</summary>
    public static string Suffix(this AddressFamily family) => family == AddressFamily.IPv4 ? "v4" : "v6";

    /// <summary>Stage set k (1-based): sources whose last good knock was step k.</summary>
    public static string Stage(string door, int k, AddressFamily family) =>
        string.Create(CultureInfo.InvariantCulture, $"{door}_s{k}_{family.Suffix()}");

    /// <summary>Sources part-way through the door's sequence.</summary>
    public static string Progress(string door, AddressFamily family) => $"{door}_prog_{family.Suffix()}";

    /// <summary>Granted sources.</summary>
    public static string Open(string door, AddressFamily family) => $"{door}_open_{family.Suffix()}";

    /// <summary>Prefixes that never need to knock.</summary>
    public static string Allow(string door, AddressFamily family) => $"{door}_allow_{family.Suffix()}";

    /// <summary>Last-step tokens of a rotating door that some address has completed (owns).</summary>
    public static string Claims(string door) => $"{door}_claims";

    /// <summary>Last-step token and the address that owns it.</summary>
    public static string Owners(string door, AddressFamily family) => $"{door}_owner_{family.Suffix()}";

    /// <summary>The chain that binds a completed rotating window to its first address.</summary>
    public static string Bind(string door, AddressFamily family) => $"{door}_bind_{family.Suffix()}";

    /// <summary>The chain for knock step k.</summary>
    public static string StepChain(string door, int k) => string.Create(CultureInfo.InvariantCulture, $"{door}_step{k}");

    /// <summary>The chain that guards the protected ports.</summary>
    public static string Guard(string door) => $"{door}_guard";

    /// <summary>The chain that clears a source's progress.</summary>
    public static string Reset(string door, AddressFamily family) => $"{door}_reset_{family.Suffix()}";

    /// <summary>A per-door counter: knocks, grants, resets or blocked.</summary>
    public static string Counter(string door, string what) => $"{door}_{what}";

    /// <summary>The counters every door has, in status order.</summary>
    public static readonly IReadOnlyList<string> CounterKinds = ["knocks", "grants", "resets", "blocked"];
}

/// <summary>An address family as the planner sees it.</summary>
public enum AddressFamily
{
    /// <summary>IPv4: <c>ip saddr</c>.</summary>
    IPv4,

    /// <summary>IPv6: <c>ip6 saddr</c>.</summary>
    IPv6,
}
