using System.Net;
using NftKnock.Core.Model;
using NftKnock.Core.Yaml;

namespace NftKnock.Core.Config;

/// <summary>A value with the node it came from, so cross-checks can point at a line.</summary>
internal readonly record struct Positioned<T>(T Value, YamlNode Node, string Path);

internal sealed record ParsedFirewall(FirewallSettings Settings, IReadOnlyList<Positioned<PortRange>> Allow);

internal sealed record ParsedDoor(
    string Name,
    YamlNode NameNode,
    IReadOnlyList<Positioned<PortRange>> Protect,
    IReadOnlyList<Positioned<Step>> Sequence,
    TimeSpan StepTimeout,
    TimeSpan OpenFor,
    Refresh Refresh,
    bool CloseOnConnect,
    Families Families,
    IReadOnlyList<IPNetwork> Allow,
    bool Log)
{
    public ParsedRotating? Rotating { get; init; }

    /// <summary>The door's refuse key, or null when the config leaves it to the mode.</summary>
    public Positioned<Refuse>? Refuse { get; init; }

    public GrantPrefix GrantPrefix { get; init; } = GrantPrefix.Full;

    public int? LogGroup { get; init; }

    public Door ToModel(Refuse fallback) => new(
        Name,
        Protect.Select(p => p.Value).ToList(),
        Sequence.Select(s => s.Value).ToList(),
        StepTimeout,
        OpenFor,
        Refresh,
        CloseOnConnect,
        Families,
        Allow,
        Log)
    {
        Rotating = Rotating?.Model,
        Refuse = Refuse?.Value ?? fallback,
        GrantPrefix = GrantPrefix,
        LogGroup = LogGroup,
    };
}

internal sealed record ParsedConfig(string Table, Mode Mode, ParsedFirewall Firewall, IReadOnlyList<ParsedDoor> Doors)
{
    /// <summary>A door that does not say how to refuse answers like the rest of the host: firewall.reject in firewall mode.</summary>
    public Refuse DefaultRefuse => Mode == Mode.Firewall && Firewall.Settings.Reject ? Model.Refuse.Reset : Model.Refuse.Drop;

    public ServerConfig ToModel() => new(Table, Mode, Firewall.Settings, Doors.Select(d => d.ToModel(DefaultRefuse)).ToList());
}
