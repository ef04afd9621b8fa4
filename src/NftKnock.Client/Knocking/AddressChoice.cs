using System.Net;
using System.Net.Sockets;
using NftKnock.Core.Model;

namespace NftKnock.Client.Knocking;

/// <summary>Picks the addresses that attempts use, one address per attempt.</summary>
public static class AddressChoice
{
    /// <summary>
    /// The first address of the preferred family, or with <see cref="Families.Both"/> the
    /// resolver's first address followed by the first address of the other family. Attempts take
    /// them in turn, so one attempt knocks and connects over a single address.
    /// </summary>
    public static IReadOnlyList<IPAddress> Candidates(IReadOnlyList<IPAddress> resolved, Families preference)
    {
        var result = new List<IPAddress>(2);
        foreach (var address in resolved)
        {
            var family = address.IsIPv4MappedToIPv6 ? AddressFamily.InterNetwork : address.AddressFamily;
            var wanted = preference switch
            {
                Families.IPv4 => family == AddressFamily.InterNetwork,
                Families.IPv6 => family == AddressFamily.InterNetworkV6,
                _ => family is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6,
            };
            if (wanted && !HasFamily(result, family))
            {
                result.Add(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
            }
        }

        return result;
    }

    private static bool HasFamily(List<IPAddress> addresses, AddressFamily family)
    {
        foreach (var address in addresses)
        {
            if (address.AddressFamily == family)
            {
                return true;
            }
        }

        return false;
    }
}
