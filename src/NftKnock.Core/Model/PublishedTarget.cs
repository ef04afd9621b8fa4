using System.Net;
using System.Net.Sockets;

namespace NftKnock.Core.Model;

/// <summary>
/// Where the host's DNAT sends a door's protected port: the container's (or backend's) address and ports.
/// A new connection straight to it, not through the DNAT, is the door's to decide, like the published port.
/// Read from the host's nat rules at apply; the planner puts it in the table.
/// </summary>
/// <param name="Door">The door whose protected port the DNAT publishes.</param>
/// <param name="Address">The DNAT's target address.</param>
/// <param name="Ports">The target's ports and protocol: the DNAT's port, or the protected ports when it keeps them.</param>
public sealed record PublishedTarget(string Door, IPAddress Address, PortRange Ports)
{
    /// <summary>The target's family.</summary>
    public Families Family => Address.AddressFamily == AddressFamily.InterNetwork ? Families.IPv4 : Families.IPv6;
}
