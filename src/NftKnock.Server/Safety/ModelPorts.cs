using System.Globalization;
using System.Net;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Server.Safety;

/// <summary>Which door guards a TCP port, and what an allow element covers, read from a table model (planned or loaded).</summary>
internal static class ModelPorts
{
    /// <summary>The maps that send protected ports to their guard chain: guard mode's, and firewall mode's.</summary>
    private static readonly string[] GuardMaps = [Names.Protected, Names.Dispatch, Names.ProtectedTcp];

    /// <summary>The door whose guard chain the table sends new TCP connections to <paramref name="port"/> to; null when none.</summary>
    public static string? GuardOf(NftTable model, int port) =>
        GuardMaps.Select(model.Find<NftMap>).OfType<NftMap>()
            .SelectMany(map => map.Elements.Where(e => Matches(map.Name == Names.ProtectedTcp ? ["tcp", .. e.Key] : e.Key, port)))
            .Select(e => Names.TryParse(e.Verdict.Chain, out var o) && o.Role == DoorRole.Guard ? o.Door : null)
            .FirstOrDefault(d => d is not null);

    /// <summary>True when a key <c>tcp . 22</c> or <c>tcp . 6000-6010</c> (as parts) covers TCP <paramref name="port"/>.</summary>
    public static bool Matches(IReadOnlyList<string> key, int port)
    {
        if (key is not [var protocol, var ports] || protocol != "tcp")
        {
            return false;
        }

        var dash = ports.IndexOf('-', StringComparison.Ordinal);
        var first = dash < 0 ? ports : ports[..dash];
        var last = dash < 0 ? ports : ports[(dash + 1)..];
        return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            && int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var to)
            && port >= from && port <= to;
    }

    /// <summary>True when an allow element (a prefix, an address or a range <c>a-b</c>) covers <paramref name="address"/>.</summary>
    public static bool Covers(string element, IPAddress address)
    {
        if (Prefixes.TryParse(element, out var network))
        {
            return network.Contains(address);
        }

        var dash = element.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || !IPAddress.TryParse(element[..dash], out var from) || !IPAddress.TryParse(element[(dash + 1)..], out var to)
            || from.AddressFamily != address.AddressFamily || to.AddressFamily != address.AddressFamily)
        {
            return false;
        }

        var value = new System.Numerics.BigInteger(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        return value >= new System.Numerics.BigInteger(from.GetAddressBytes(), isUnsigned: true, isBigEndian: true)
            && value <= new System.Numerics.BigInteger(to.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
    }
}
