using System.Net;
using System.Net.Sockets;

namespace NftKnock.Core.Model;

/// <summary>
/// How much a completed knock opens, per family: the knocking address's network of this prefix
/// length (<c>grant-prefix: {ipv4: 24, ipv6: 64}</c>); the full length grants the address alone.
/// </summary>
/// <param name="IPv4">1 to 32.</param>
/// <param name="IPv6">1 to 128.</param>
public readonly record struct GrantPrefix(int IPv4, int IPv6)
{
    /// <summary>The default: the knocking address alone.</summary>
    public static GrantPrefix Full { get; } = new(32, 128);

    /// <summary>The prefix length for <paramref name="family"/>.</summary>
    public int For(Families family) => family == Families.IPv4 ? IPv4 : IPv6;

    /// <summary>
    /// The mask of a prefix <paramref name="length"/> bits long in <paramref name="family"/>, as nft
    /// writes an address: <c>255.255.255.0</c>, <c>ffff:ffff:ffff:ffff::</c>.
    /// </summary>
    public static IPAddress Mask(Families family, int length)
    {
        var bytes = new byte[family.AddressBits() / 8];
        for (var bit = 0; bit < length; bit++)
        {
            bytes[bit / 8] |= (byte)(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }

    /// <summary>The network of <paramref name="length"/> bits that <paramref name="address"/> lies in, as its base address.</summary>
    public static IPAddress Masked(IPAddress address, int length)
    {
        var family = address.AddressFamily == AddressFamily.InterNetwork ? Families.IPv4 : Families.IPv6;
        var bytes = address.GetAddressBytes();
        var mask = Mask(family, length).GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] &= mask[i];
        }

        return new IPAddress(bytes);
    }
}
