using System.Net;
using NftKnock.Client.Knocking;

namespace NftKnock.Client;

/// <summary>Client sentences about knocking one address of each family.</summary>
public static partial class ClientTexts
{
    /// <summary>Verbose: the addresses a knock goes to, one of each family.</summary>
    public static string KnockingEach(string host, IReadOnlyList<IPAddress> addresses) =>
        addresses.Count == 1 ? Resolved(host, addresses) : $"nftknock: {host} is {Join(addresses, " and ")}: knocking both";

    /// <summary>Knock without --check: the knocks are out (stdout).</summary>
    public static string KnockSent(int steps, IReadOnlyList<IPAddress> addresses) =>
        Invariant($"Knocked {steps} step{(steps == 1 ? string.Empty : "s")} on {Join(addresses, " and ")}.");

    /// <summary>Knock --check succeeded on every address in <paramref name="opened"/> (stdout).</summary>
    public static string CheckOpen(int port, IReadOnlyList<KnockOutcome> opened)
    {
        if (opened.Select(o => o.Attempts).Distinct().Count() == 1)
        {
            return Invariant($"Port {port} on {Join(opened.Select(o => o.Address), " and ")} is open (attempt {opened[0].Attempts}).");
        }

        var each = opened.Select(o => Invariant($"{o.Address} (attempt {o.Attempts})"));
        return Invariant($"Port {port} on {string.Join(" and ", each)} is open.");
    }

    /// <summary>A family with no route from here while the other was knocked: a note on stderr, not a failure.</summary>
    public static string KnockedOtherFamilyOnly(string host, IPAddress unrouted, IPAddress knocked) =>
        $"nftknock: no route to {WithFamily(unrouted, true)} from this machine; knocked {host} over {AddressChoice.FamilyName(knocked)} only.";

    /// <summary>Knock --check: the port opened over one family but never over the other (exit 3).</summary>
    public static string OpenedOverOneFamilyOnly(string host, int port, IPAddress opened, IPAddress closed, int attempts)
    {
        var family = AddressChoice.FamilyName(closed);
        return Invariant($"nftknock: port {port} on {host} opened over {WithFamily(opened, true, familyFirst: true)} but not over {WithFamily(closed, true, familyFirst: true)}, knocked {attempts} time{(attempts == 1 ? string.Empty : "s")}. Check that the door's families: include {family.ToLowerInvariant()} and that {family} reaches the server, or knock with {(family == "IPv6" ? "-4" : "-6")}.");
    }

    private static string WithFamily(IPAddress? address, bool nameFamily, bool familyFirst = false) =>
        address is null || !nameFamily ? $"{address}"
        : familyFirst ? $"{AddressChoice.FamilyName(address)} ({address})"
        : $"{address} ({AddressChoice.FamilyName(address)})";

    private static string Join(IEnumerable<IPAddress?> addresses, string separator) =>
        string.Join(separator, addresses.Select(a => a?.ToString()));
}
