using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NftKnock.Core.Model;

/// <summary>Address prefixes as configs write them: an address, or an address with a prefix length.</summary>
public static class Prefixes
{
    /// <summary>Parses <c>192.0.2.0/24</c>, <c>2001:db8::/32</c> or a bare address; host bits must be zero.</summary>
    public static bool TryParse(string text, out IPNetwork network) => Parse(text, out network) == AddressProblem.None;

    /// <summary>
    /// Parses like <see cref="TryParse"/> and says what is wrong: the address must be canonical
    /// (<see cref="Addresses"/>), the length plain decimal, the host bits zero.
    /// </summary>
    public static AddressProblem Parse(string text, out IPNetwork network)
    {
        network = default;
        text = text.Trim();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var problem = Addresses.TryParse(slash < 0 ? text : text[..slash], out var address);
        if (problem != AddressProblem.None)
        {
            return problem;
        }

        var full = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (slash < 0)
        {
            network = new IPNetwork(address, full);
            return AddressProblem.None;
        }

        var lengthText = text[(slash + 1)..];
        if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            || length > full
            || length.ToString(CultureInfo.InvariantCulture) != lengthText)
        {
            return AddressProblem.NotAnAddress;
        }

        // IPNetwork masks host bits silently; a prefix with host bits set is almost always a typo.
        return IPNetwork.TryParse(string.Create(CultureInfo.InvariantCulture, $"{address}/{length}"), out network) && network.BaseAddress.Equals(address)
            ? AddressProblem.None
            : AddressProblem.NotAnAddress;
    }

    /// <summary>The prefix as nft writes it: a bare address for host prefixes.</summary>
    public static string Format(IPNetwork network)
    {
        var full = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        return network.PrefixLength == full ? network.BaseAddress.ToString() : network.ToString();
    }

    /// <summary>True for IPv4 prefixes.</summary>
    public static bool IsIPv4(this IPNetwork network) => network.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
}
