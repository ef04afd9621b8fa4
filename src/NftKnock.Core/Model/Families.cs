namespace NftKnock.Core.Model;

/// <summary>
/// Address families: the ones a door serves, the one a ruleset object belongs to (exactly one
/// flag), and the one a client knocks over (<see cref="Both"/> for whichever the resolver gives).
/// </summary>
[Flags]
public enum Families
{
    /// <summary>Neither (never valid in a config).</summary>
    None = 0,

    /// <summary>IPv4: <c>ip saddr</c>, <c>-4</c>.</summary>
    IPv4 = 1,

    /// <summary>IPv6: <c>ip6 saddr</c>, <c>-6</c>.</summary>
    IPv6 = 2,

    /// <summary>Both families: knock knocks one address of each; connect takes whatever the resolver lists first, the other only on a later attempt.</summary>
    Both = IPv4 | IPv6,
}

/// <summary>What follows from a family.</summary>
public static class FamilyFacts
{
    /// <summary>The length of an address of <paramref name="family"/> in bits: 32 or 128.</summary>
    public static int AddressBits(this Families family) => family == Families.IPv4 ? 32 : 128;
}
