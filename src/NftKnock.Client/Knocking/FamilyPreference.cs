using System.Net;
using System.Net.Sockets;

namespace NftKnock.Client.Knocking;

/// <summary>Which address family to knock and connect over.</summary>
public enum FamilyPreference
{
    /// <summary>Whatever the resolver lists first; the other family only on a later attempt.</summary>
    Any,

    /// <summary>IPv4 only (<c>-4</c>).</summary>
    IPv4,

    /// <summary>IPv6 only (<c>-6</c>).</summary>
    IPv6,
}

/// <summary>Picks the addresses that attempts use, one address per attempt.</summary>
public static class AddressChoice
{
    /// <summary>
    /// The first address of the preferred family, or with <see cref="FamilyPreference.Any"/> the
    /// resolver's first address followed by the first address of the other family. Attempts take
    /// them in turn, so one attempt knocks and connects over a single address.
    /// </summary>
    public static IReadOnlyList<IPAddress> Candidates(IReadOnlyList<IPAddress> resolved, FamilyPreference preference)
    {
        var result = new List<IPAddress>(2);
        foreach (var address in resolved)
        {
            var family = address.IsIPv4MappedToIPv6 ? AddressFamily.InterNetwork : address.AddressFamily;
            var wanted = preference switch
            {
                FamilyPreference.IPv4 => family == AddressFamily.InterNetwork,
                FamilyPreference.IPv6 => family == AddressFamily.InterNetworkV6,
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
