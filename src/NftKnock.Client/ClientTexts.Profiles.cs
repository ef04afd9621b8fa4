using NftKnock.Core.Diagnostics;

namespace NftKnock.Client;

/// <summary>
/// The sentences that profile validation adds to Core's <see cref="Messages"/>, with stable codes
/// NK2xx. Problems that configs share (unknown keys, bad steps, bad durations) keep Core's codes.
/// </summary>
public static partial class ClientTexts
{
    /// <summary>A host key that is neither a name nor a glob.</summary>
    public static Message BadHostPattern(string value) =>
        new("NK201", $"'{value}' is not a host name or pattern. Use a name like bastion.example.org or a glob like *.example.org (* and ? match any characters).");

    /// <summary>An address that is neither an IP address nor a host name.</summary>
    public static Message BadAddress(string value) =>
        new("NK202", $"'{value}' is not an address. Write an IP address like 198.51.100.7 (four decimal numbers 0-255, no leading zeros) or 2001:db8::7, or a host name.");

    /// <summary>An IPv6 address with a zone index.</summary>
    public static Message AddressZoneIndex(string value) =>
        new("NK206", $"'{value}' has a zone index: zone indices like %eth0 are not allowed in addresses. Write the address without it, or a host name.");

    /// <summary>A port outside 1..65535.</summary>
    public static Message BadProfilePort(string value) =>
        new("NK203", $"'{value}' is not a port. Use a number from 1 to 65535, like 22.");

    /// <summary>An attempt count out of range.</summary>
    public static Message BadAttempts(string value, int max) =>
        new("NK204", Invariant($"attempts '{value}' is out of range. Use a whole number from 1 to {max}."));

    /// <summary>The same host twice.</summary>
    public static Message DuplicateHost(string value, int line) =>
        new("NK205", Invariant($"The host '{value}' is already listed at line {line}. Keep one entry per host."));
}
