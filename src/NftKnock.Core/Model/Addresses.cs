using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace NftKnock.Core.Model;

/// <summary>Why address text was refused.</summary>
public enum AddressProblem
{
    /// <summary>The text is a canonical address.</summary>
    None,

    /// <summary>Not canonical dotted-quad IPv4 or standard IPv6 text.</summary>
    NotAnAddress,

    /// <summary>An IPv6 address with a zone index (<c>fe80::1%eth0</c>).</summary>
    ZoneIndex,
}

/// <summary>
/// IP addresses as nftknock takes them from configs, profiles and the command line: canonical
/// dotted-quad IPv4 and standard IPv6 text only. The system parser also takes the inet_aton forms
/// (<c>010.0.0.1</c> is 8.0.0.1, <c>10.1</c> is 10.0.0.1, <c>0x7f.1</c> is 127.0.0.1), which read as
/// one address and mean another, so they are refused before it sees them.
/// </summary>
public static partial class Addresses
{
    /// <summary>Parses canonical address text; anything else gives its problem and <see cref="IPAddress.None"/>.</summary>
    public static AddressProblem TryParse(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains('%', StringComparison.Ordinal))
        {
            return AddressProblem.ZoneIndex;
        }

        if (!text.Contains(':', StringComparison.Ordinal))
        {
            if (!DottedQuad().IsMatch(text) || !IPAddress.TryParse(text, out var v4))
            {
                return AddressProblem.NotAnAddress;
            }

            address = v4;
            return AddressProblem.None;
        }

        // Standard IPv6 text: hex groups and colons, optionally ending in a dotted quad (::ffff:192.0.2.1).
        var lastColon = text.LastIndexOf(':');
        var tail = text[(lastColon + 1)..];
        if (!Ipv6Chars().IsMatch(text)
            || (tail.Contains('.', StringComparison.Ordinal) && !DottedQuad().IsMatch(tail))
            || !IPAddress.TryParse(text, out var v6)
            || v6.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return AddressProblem.NotAnAddress;
        }

        address = v6;
        return AddressProblem.None;
    }

    /// <summary>
    /// True for text that is meant as an address rather than a host name: the system parser takes it,
    /// or it has a colon or a zone index, or its last label is all digits (no DNS name ends so).
    /// </summary>
    public static bool LooksLikeAddress(string text) =>
        IPAddress.TryParse(text, out _) || text.AsSpan().IndexOfAny(':', '%') >= 0 || NumericLastLabel().IsMatch(text);

    [GeneratedRegex(@"^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\z")]
    private static partial Regex DottedQuad();

    [GeneratedRegex(@"^(?=.*:)[0-9A-Fa-f:.]+\z")]
    private static partial Regex Ipv6Chars();

    [GeneratedRegex(@"(?:^|\.)[0-9]+\.?\z")]
    private static partial Regex NumericLastLabel();
}
