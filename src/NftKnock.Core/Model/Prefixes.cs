using System.Net;
using System.Net.Sockets;

namespace NftKnock.Core.Model;

/// <summary>Address prefixes as configs write them: an address, or an address with a prefix length.</summary>
public static class Prefixes
{
    /// <summary>Parses <c>192.0.2.0/24</c>, <c>2001:db8::/32</c> or a bare address; host bits must be zero.</summary>
    public static bool TryParse(string text, out IPNetwork network)
    {
        network = default;
        text = text.Trim();
        if (text.Contains('/', StringComparison.Ordinal))
        {
            // IPNetwork masks host bits silently; a prefix with host bits set is almost always a typo.
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            return IPNetwork.TryParse(text, out network)
                && IPAddress.TryParse(text.AsSpan(0, slash), out var written)
                && written.Equals(network.BaseAddress);
        }

        if (!IPAddress.TryParse(text, out var address)
            || (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0))
        {
            return false;
        }

        network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        return true;
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
