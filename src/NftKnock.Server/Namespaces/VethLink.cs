using System.Net;
using System.Net.Sockets;

namespace NftKnock.Server.Namespaces;

/// <summary>
/// A veth pair from the hub namespace to one peer, with an IPv4 /24 and an IPv6 /64 on each end.
/// Addresses must come from 198.18.0.0/15 (benchmarking) and 2001:db8::/32 (documentation), so no
/// packet sent between the namespaces could ever mean another host.
/// </summary>
public sealed record VethLink(string Peer, string HubSide, string PeerSide, string Hub4, string Peer4, string Hub6, string Peer6)
{
    private static readonly IPNetwork Benchmarking = IPNetwork.Parse("198.18.0.0/15");
    private static readonly IPNetwork Documentation = IPNetwork.Parse("2001:db8::/32");

    /// <summary>Throws when an address lies outside the two reserved ranges.</summary>
    internal void EnsureReserved()
    {
        foreach (var text in new[] { Hub4, Peer4, Hub6, Peer6 })
        {
            var address = IPAddress.Parse(text);
            var range = address.AddressFamily == AddressFamily.InterNetwork ? Benchmarking : Documentation;
            if (!range.Contains(address))
            {
                throw new ArgumentException($"{text} is outside {range}; namespace links use only 198.18.0.0/15 and 2001:db8::/32.", nameof(text));
            }
        }
    }
}
