// Every object name is built and taken apart here, one contract for the planner, status and apply; split up, the two directions could drift apart.
using System.Globalization;
using System.Text;
using NftKnock.Core.Crypto;
using NftKnock.Core.Model;

namespace NftKnock.Core.Ruleset;

/// <summary>
/// The names of everything in our table, built and taken apart in this one place. They are a
/// contract: status reads state back by these names, so it works from the table alone, without the config.
/// </summary>
public static class Names
{
    /// <summary>The base chain on the input hook.</summary>
    public const string Input = "input";

    /// <summary>The base chain on the forward hook: connections forwarded after DNAT, and straight to a DNAT target.</summary>
    public const string Forward = "forward";

    /// <summary>The verdict map from <c>meta l4proto . th dport</c> to step and guard chains (guard mode: step chains only).</summary>
    public const string Dispatch = "dispatch";

    /// <summary>Guard mode's verdict map from <c>meta l4proto . th dport</c> to guard chains, used in input.</summary>
    public const string Protected = "protected";

    /// <summary>The verdict map from the port a DNATed TCP connection was addressed to (<c>ct original proto-dst</c>) to guard chains.</summary>
    public const string ProtectedTcp = "protected_tcp";

    /// <summary>The same for UDP.</summary>
    public const string ProtectedUdp = "protected_udp";

    /// <summary>Ports that firewall mode opens to everyone.</summary>
    public const string FirewallAllow = "fw_allow";

    /// <summary>The chain that answers like a closed host (firewall mode with reject, doors with refuse: reset).</summary>
    public const string Refuse = "refuse";

    /// <summary>Guard mode's chain for IPv6 fragments, which nothing reassembles before the input hook.</summary>
    public const string Fragments = "fragments";

    /// <summary>The chain that resets the progress of a source that sends anything but its next knock.</summary>
    public const string Stray = "stray";

    /// <summary>
    /// Sources part-way through the sequence of any door, per family: a superset of every door's progress set, so
    /// the one lookup in it spares every other source the per-door lookups of <see cref="Stray"/>.
    /// </summary>
    public static string Knocking(Families family) => $"knocking_{family.Suffix()}";

    /// <summary>The verdict map from <c>udp dport . @th,64,64</c> (port and token) to rotating doors' step chains.</summary>
    public const string Rotating = "rotating";

    /// <summary>The verdict map from a DNAT target of a protected port (<c>ip daddr . meta l4proto . th dport</c>) to the door's guard.</summary>
    public static string Published(Families family) => $"published_{family.Suffix()}";

    /// <summary>Set suffix of a family.</summary>
    public static string Suffix(this Families family) => family == Families.IPv4 ? "v4" : "v6";

    /// <summary>Stage set k (1-based): sources whose last good knock was step k.</summary>
    public static string Stage(string door, int k, Families family) => Format(new(door, DoorRole.Stage, family, k));

    /// <summary>Sources part-way through the door's sequence.</summary>
    public static string Progress(string door, Families family) => Format(new(door, DoorRole.Progress, family));

    /// <summary>
    /// Granted sources, or with <paramref name="prefix"/> shorter than the family's address, granted
    /// prefixes of that length (<c>ssh_open24_v4</c> holds the /24 networks of the sources that knocked).
    /// </summary>
    public static string Open(string door, Families family, int prefix = 0) =>
        Format(new(door, DoorRole.Open, family, prefix == family.AddressBits() ? 0 : prefix));

    /// <summary>Prefixes that never need to knock.</summary>
    public static string Allow(string door, Families family) => Format(new(door, DoorRole.Allow, family));

    /// <summary>
    /// Last-step tokens of a rotating door that some address has completed (owns), over either family:
    /// one set for both, so a window knocked over one family is claimed on the other too.
    /// </summary>
    public static string Claims(string door) => Format(new(door, DoorRole.Claims));

    /// <summary>Last-step token and the address that owns it.</summary>
    public static string Owners(string door, Families family) => Format(new(door, DoorRole.Owners, family));

    /// <summary>Sources of <paramref name="family"/> with a log budget: each source's own rate limit for the door's log lines.</summary>
    public static string Logged(string door, Families family) => Format(new(door, DoorRole.Logged, family));

    /// <summary>The chain for knock step k; a rotating door's last step has one per client when <paramref name="client"/> is given.</summary>
    public static string StepChain(string door, int k, string? client = null) =>
        Format(new(door, DoorRole.Step, Number: k, Client: client is null ? null : ClientId(client)));

    /// <summary>
    /// The last step of a rotating door with <c>clients:</c>, shared by every client (<c>ssh_bind</c>): it
    /// checks the earlier steps and claims the window, then returns to the client's own last-step chain,
    /// which grants, counts and logs for that client.
    /// </summary>
    public static string Bind(string door) => Format(new(door, DoorRole.Bind));

    /// <summary>The chain that guards the protected ports.</summary>
    public static string Guard(string door) => Format(new(door, DoorRole.Guard));

    /// <summary>The chain that clears a source's progress.</summary>
    public static string Reset(string door, Families family) => Format(new(door, DoorRole.Reset, family));

    /// <summary>
    /// The chain a grant goes to for its rate-limited log line (<c>ssh_openlog</c>), per client for a
    /// rotating door with <c>clients:</c> (<c>ssh_openlog_c1a2b3c4d</c>).
    /// </summary>
    public static string OpenLog(string door, string? client = null) =>
        Format(new(door, DoorRole.OpenLog, Client: client is null ? null : ClientId(client)));

    /// <summary>The chain a refused rotating replay goes to for its rate-limited log line, per client like <see cref="OpenLog"/>.</summary>
    public static string ReplayLog(string door, string? client = null) =>
        Format(new(door, DoorRole.ReplayLog, Client: client is null ? null : ClientId(client)));

    /// <summary>
    /// The one chain that writes a client's grant and replay lines, both with the client's name
    /// (<c>ssh_log_c1a2b3c4d</c>): a rotating door with <c>clients:</c> has one per client.
    /// </summary>
    public static string ClientLog(string door, string client) =>
        Format(new(door, DoorRole.ClientLog, Client: ClientId(client)));

    /// <summary>
    /// The chain a completed knock of a door (client) with a time limit goes to: it grants inside the
    /// limit's windows and refuses outside them (<c>ssh_limit_v4</c>, <c>ssh_limit_c1a2b3c4d_v4</c>).
    /// </summary>
    public static string Limit(string door, Families family, string? client = null) =>
        Format(new(door, DoorRole.Limit, family, Client: client is null ? null : ClientId(client)));

    /// <summary>The chain a knock refused by a time limit goes to for its rate-limited log line, per client like <see cref="OpenLog"/>.</summary>
    public static string OutsideLog(string door, string? client = null) =>
        Format(new(door, DoorRole.OutsideLog, Client: client is null ? null : ClientId(client)));

    /// <summary>Audit mode's chain that counts, notes and logs a connection enforcing would have refused, then lets it through.</summary>
    public static string AuditLog(string door) => Format(new(door, DoorRole.AuditLog));

    /// <summary>Audit mode's sources of <paramref name="family"/> already logged as would-drop: each is logged once a day.</summary>
    public static string Seen(string door, Families family) => Format(new(door, DoorRole.Seen, family));

    /// <summary>
    /// A per-door counter: knocks, grants, resets, blocked or replays; grants and replays of a rotating
    /// door with <c>clients:</c> also per client (<c>ssh_grants_c1a2b3c4d</c>, the client's name in its comment).
    /// </summary>
    public static string Counter(string door, CounterKind kind, string? client = null) =>
        Format(new(door, DoorRole.Counter, Counter: kind, Client: client is null ? null : ClientId(client)));

    /// <summary>
    /// The token that stands for a client in object names: <c>c</c> and 8 hex digits of the SHA-256 of
    /// its name. Client names may hold characters nft does not take in a bare name; the name itself
    /// is written in the object's comment, and the token stays the same when clients are reordered.
    /// </summary>
    public static string ClientId(string client)
    {
        Span<byte> hash = stackalloc byte[Sha256.HashSizeInBytes];
        Sha256.HashData(Encoding.UTF8.GetBytes(client), hash);
        return "c" + Convert.ToHexStringLower(hash[..4]);
    }

    /// <summary>The name of a door's object: <c>{door}_{role}[k][_{client}][_{family}]</c>.</summary>
    public static string Format(DoorObject name)
    {
        var token = name.Role switch
        {
            DoorRole.Stage => string.Create(CultureInfo.InvariantCulture, $"s{name.Number}"),
            DoorRole.Step => string.Create(CultureInfo.InvariantCulture, $"step{name.Number}"),
            DoorRole.Open when name.Number > 0 && name.Number < (name.Family ?? Families.IPv6).AddressBits() => string.Create(CultureInfo.InvariantCulture, $"open{name.Number}"),
            DoorRole.Counter => (name.Counter ?? throw new ArgumentException("A counter name needs its kind.", nameof(name))).Format(),
            _ => Tokens[name.Role],
        };
        var client = name.Client is { } id ? $"_{id}" : string.Empty;
        return name.Family is { } family ? $"{name.Door}_{token}{client}_{family.Suffix()}" : $"{name.Door}_{token}{client}";
    }

    /// <summary>
    /// Takes a door's object name apart: <c>ssh_s2_v6</c> is stage set 2 of door ssh for IPv6. False for
    /// the table's shared objects (input, dispatch, ...) and for any name this class would not build.
    /// </summary>
    public static bool TryParse(string name, out DoorObject parsed)
    {
        parsed = default;
        Families? family = name.EndsWith("_v4", StringComparison.Ordinal) ? Families.IPv4
            : name.EndsWith("_v6", StringComparison.Ordinal) ? Families.IPv6 : null;
        var rest = family is null ? name : name[..^3];
        string? client = null;
        var last = rest.LastIndexOf('_');
        if (last > 0 && IsClientId(rest[(last + 1)..]))
        {
            client = rest[(last + 1)..];
            rest = rest[..last];
        }

        var cut = rest.LastIndexOf('_');
        if (cut <= 0 || !NftText.IsDoorName(rest[..cut]))
        {
            return false;
        }

        // A name parses only if building it again gives the same name: no leading zeros, no family on a role without one.
        if (Candidate(rest[..cut], rest[(cut + 1)..], family) is not { } found || PerFamily(found.Role) != (family is not null))
        {
            return false;
        }

        var candidate = found with { Client = client };
        if ((client is not null && !PerClient(candidate)) || Format(candidate) != name)
        {
            return false;
        }

        parsed = candidate;
        return true;
    }

    private static DoorObject? Candidate(string door, string token, Families? family)
    {
        if (Tokens.FirstOrDefault(t => t.Value == token) is { Value: not null } role)
        {
            return new DoorObject(door, role.Key, family);
        }

        if (CounterKinds.TryParse(token, out var kind))
        {
            return new DoorObject(door, DoorRole.Counter, family, Counter: kind);
        }

        return Numbered(token, "step") is { } step ? new DoorObject(door, DoorRole.Step, family, step)
            : Numbered(token, "open") is { } prefix ? new DoorObject(door, DoorRole.Open, family, prefix)
            : Numbered(token, "s") is { } stage ? new DoorObject(door, DoorRole.Stage, family, stage)
            : null;
    }

    private static bool PerFamily(DoorRole role) =>
        role is not (DoorRole.Step or DoorRole.Bind or DoorRole.Guard or DoorRole.Counter or DoorRole.OpenLog or DoorRole.ReplayLog or DoorRole.ClientLog or DoorRole.Claims or DoorRole.OutsideLog or DoorRole.AuditLog);

    /// <summary>What a rotating door with clients has per client: the last step, the grant and replay counts and log chains, and time limits.</summary>
    private static bool PerClient(DoorObject name) =>
        name.Role is DoorRole.Step or DoorRole.ClientLog or DoorRole.OpenLog or DoorRole.ReplayLog or DoorRole.Limit or DoorRole.OutsideLog
        || (name.Role == DoorRole.Counter && name.Counter is CounterKind.Grants or CounterKind.Replays or CounterKind.Outside);

    private static bool IsClientId(string token) =>
        token.Length == 9 && token[0] == 'c' && token[1..].All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private static int? Numbered(string token, string prefix) =>
        token.Length > prefix.Length && token.StartsWith(prefix, StringComparison.Ordinal) && token[prefix.Length..].All(char.IsAsciiDigit)
        && int.TryParse(token[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k > 0 ? k : null;

    private static readonly Dictionary<DoorRole, string> Tokens = new()
    {
        [DoorRole.Progress] = "prog",
        [DoorRole.Open] = "open",
        [DoorRole.Allow] = "allow",
        [DoorRole.Claims] = "claims",
        [DoorRole.Owners] = "owner",
        [DoorRole.Bind] = "bind",
        [DoorRole.Guard] = "guard",
        [DoorRole.Reset] = "reset",
        [DoorRole.OpenLog] = "openlog",
        [DoorRole.ClientLog] = "log",
        [DoorRole.ReplayLog] = "replaylog",
        [DoorRole.Logged] = "logged",
        [DoorRole.Limit] = "limit",
        [DoorRole.OutsideLog] = "outsidelog",
        [DoorRole.AuditLog] = "auditlog",
        [DoorRole.Seen] = "seen",
    };
}

/// <summary>What a door's object is.</summary>
public enum DoorRole
{
    /// <summary>A stage set (<see cref="DoorObject.Number"/> is the step).</summary>
    Stage,

    /// <summary>The progress set.</summary>
    Progress,

    /// <summary>The grant set (<see cref="DoorObject.Number"/> is the granted prefix length, 0 for one address).</summary>
    Open,

    /// <summary>The allow set.</summary>
    Allow,

    /// <summary>A rotating door's claimed tokens.</summary>
    Claims,

    /// <summary>A rotating door's window owners.</summary>
    Owners,

    /// <summary>A step chain (<see cref="DoorObject.Number"/> is the step).</summary>
    Step,

    /// <summary>The last step that every client of a rotating door with clients shares: it claims the window and returns.</summary>
    Bind,

    /// <summary>The guard chain.</summary>
    Guard,

    /// <summary>The chain that clears progress.</summary>
    Reset,

    /// <summary>A counter (<see cref="DoorObject.Counter"/> is its kind).</summary>
    Counter,

    /// <summary>The chain that logs a grant, rate-limited.</summary>
    OpenLog,

    /// <summary>The chain that logs a refused rotating replay, rate-limited.</summary>
    ReplayLog,

    /// <summary>The chain that logs a client's grants and replays, rate-limited.</summary>
    ClientLog,

    /// <summary>The sources with a log budget (each source's own rate limit for log lines).</summary>
    Logged,

    /// <summary>The chain that grants a completed knock only inside the door's (client's) time limit.</summary>
    Limit,

    /// <summary>The chain that logs a knock refused by a time limit, rate-limited.</summary>
    OutsideLog,

    /// <summary>Audit mode's chain that counts, logs and lets through what enforcing would refuse.</summary>
    AuditLog,

    /// <summary>Audit mode's sources already logged as would-drop.</summary>
    Seen,
}

/// <summary>
/// A door's object name taken apart: the door, the role, and the family, step, prefix length, counter
/// kind and client token (<see cref="Names.ClientId"/>) it has.
/// </summary>
public readonly record struct DoorObject(string Door, DoorRole Role, Families? Family = null, int Number = 0, CounterKind? Counter = null, string? Client = null)
{
    /// <inheritdoc/>
    public override string ToString() => Names.Format(this);
}
