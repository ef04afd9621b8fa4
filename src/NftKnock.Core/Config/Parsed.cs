using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;
using NftKnock.Core.Yaml;

namespace NftKnock.Core.Config;

/// <summary>A value with the node it came from, so cross-checks can point at a line.</summary>
internal readonly record struct Positioned<T>(T Value, YamlNode Node, string Path);

/// <summary>
/// What every reader of a config section needs besides its node: where diagnostics go, how secret
/// files are opened, and the time of the reading. A key that needs one more input adds it here once.
/// </summary>
/// <param name="Bag">Where diagnostics go.</param>
/// <param name="Secrets">Opens rotating doors' secret files; null leaves secrets empty.</param>
/// <param name="Now">The time the config is checked at, for warnings about dates in the past; null skips them.</param>
internal sealed record ReadContext(DiagnosticBag Bag, SecretReader? Secrets, DateTimeOffset? Now);

internal sealed record ParsedFirewall(FirewallSettings Settings, IReadOnlyList<Positioned<PortRange>> Allow);

/// <summary>
/// A door as read: the model, built once by <see cref="DoorReader"/>, and the positions that the
/// checks between doors point at. A new door key changes <see cref="Door"/> and the reader, not this.
/// </summary>
internal sealed record ParsedDoor(Door Model, YamlNode NameNode, IReadOnlyList<Positioned<PortRange>> Protect, IReadOnlyList<Positioned<Step>> Sequence)
{
    public string Name => Model.Name;

    public ParsedRotating? Rotating { get; init; }

    /// <summary>The door's refuse key as written, or null when the config leaves it to the mode.</summary>
    public Positioned<Refuse>? Refuse { get; init; }
}

internal sealed record ParsedConfig(ServerConfig Model, ParsedFirewall Firewall, IReadOnlyList<ParsedDoor> Doors)
{
    public Mode Mode => Model.Mode;

    /// <summary>A door that does not say how to refuse answers like the rest of the host: firewall.reject in firewall mode.</summary>
    public static Refuse DefaultRefuse(Mode mode, FirewallSettings firewall) =>
        mode == Mode.Firewall && firewall.Reject ? Refuse.Reset : Refuse.Drop;
}
