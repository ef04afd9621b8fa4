using System.Net;
using System.Net.Sockets;
using NftKnock.Core.Model;

namespace NftKnock.Client.Knocking;

/// <summary>Picks the addresses that knocks and connections use.</summary>
public static class AddressChoice
{
    /// <summary>
    /// For <c>connect</c>: the first address of the preferred family, or with <see cref="Families.Both"/>
    /// the resolver's first address followed by the first address of the other family. Attempts take
    /// them in turn, so one attempt knocks and connects over a single address.
    /// </summary>
    public static IReadOnlyList<IPAddress> Candidates(IReadOnlyList<IPAddress> resolved, Families preference)
    {
        var result = new List<IPAddress>(2);
        foreach (var raw in resolved)
        {
            var address = Unmapped(raw);
            if (Wanted(address, preference) && !HasFamily(result, address.AddressFamily))
            {
                result.Add(address);
            }
        }

        return result;
    }

    /// <summary>
    /// For <c>knock</c>: one address of each family that <paramref name="preference"/> allows, the
    /// lowest of that family compared byte by byte, IPv4 before IPv6. The lowest rather than the
    /// resolver's first, because resolvers rotate a name's records from one call to the next, and
    /// every knock (and every retry) must land on the same address.
    /// </summary>
    public static IReadOnlyList<IPAddress> OnePerFamily(IReadOnlyList<IPAddress> resolved, Families preference)
    {
        IPAddress? v4 = null;
        IPAddress? v6 = null;
        foreach (var raw in resolved)
        {
            var address = Unmapped(raw);
            if (!Wanted(address, preference))
            {
                continue;
            }

            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                v4 = Lower(v4, address);
            }
            else
            {
                v6 = Lower(v6, address);
            }
        }

        var result = new List<IPAddress>(2);
        result.AddRange(new[] { v4, v6 }.OfType<IPAddress>());
        return result;
    }

    /// <summary>"IPv4" or "IPv6": the family of <paramref name="address"/>, as messages name it.</summary>
    public static string FamilyName(IPAddress address) =>
        Unmapped(address).AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    private static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>Whether <paramref name="preference"/> lets <paramref name="address"/> be used; no preference at all is either family.</summary>
    private static bool Wanted(IPAddress address, Families preference) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => preference is Families.None || preference.HasFlag(Families.IPv4),
        AddressFamily.InterNetworkV6 => preference is Families.None || preference.HasFlag(Families.IPv6),
        _ => false,
    };

    /// <summary>The lower of two addresses of one family; on a tie (zone indices aside) the one seen first.</summary>
    private static IPAddress Lower(IPAddress? kept, IPAddress candidate)
    {
        if (kept is null)
        {
            return candidate;
        }

        ReadOnlySpan<byte> a = kept.GetAddressBytes();
        ReadOnlySpan<byte> b = candidate.GetAddressBytes();
        return b.SequenceCompareTo(a) < 0 ? candidate : kept;
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
