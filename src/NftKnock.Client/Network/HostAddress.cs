using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;

namespace NftKnock.Client.Network;

/// <summary>The check every host the client is given (profile address, command line) goes through.</summary>
public static class HostAddress
{
    /// <summary>
    /// Null when <paramref name="host"/> is a host name or a canonical address; else why not. Text the
    /// system would read as an address must be canonical, since <c>010.0.0.1</c> would knock on 8.0.0.1.
    /// </summary>
    public static Message? Problem(string host) =>
        !Addresses.LooksLikeAddress(host)
            ? null
            : Addresses.TryParse(host, out _) switch
            {
                AddressProblem.None => null,
                AddressProblem.ZoneIndex => ClientTexts.AddressZoneIndex(host),
                _ => ClientTexts.BadAddress(host),
            };
}
