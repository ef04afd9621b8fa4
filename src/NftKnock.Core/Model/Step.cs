using System.Globalization;

namespace NftKnock.Core.Model;

/// <summary>One knock: a packet to <see cref="Port"/> over <see cref="Protocol"/>, written <c>7000/udp</c>.</summary>
public readonly record struct Step(int Port, Protocol Protocol)
{
    /// <summary>Knocks are UDP unless the text says otherwise.</summary>
    public const Protocol DefaultProtocol = Protocol.Udp;

    /// <summary>The most steps a sequence may have, in a door, a rotating door's knocks or a client profile.</summary>
    public const int MaxPerSequence = 16;

    /// <inheritdoc/>
    public override string ToString() => $"{Port.ToString(CultureInfo.InvariantCulture)}/{Protocol.Name()}";

    /// <summary>Parses <c>PORT[/tcp|/udp]</c>; the port must lie in 1..65535.</summary>
    public static bool TryParse(string text, out Step step)
    {
        step = default;
        if (!PortText.TrySplit(text, DefaultProtocol, out var portText, out var protocol)
            || !Core.Model.Port.TryParse(portText, out var port))
        {
            return false;
        }

        step = new Step(port, protocol);
        return true;
    }
}
