using System.Net;
using NftKnock.Client.Knocking;
using NftKnock.Core.Model;

namespace NftKnock.Client.Tests.Knocking;

public sealed class AddressChoiceTests
{
    private static IPAddress[] Parse(params string[] texts) => texts.Select(IPAddress.Parse).ToArray();

    [Fact]
    public void Any_takes_the_resolvers_first_address_then_the_first_of_the_other_family()
    {
        AddressChoice.Candidates(Parse("2001:db8::1", "2001:db8::2", "198.18.0.1", "198.18.0.2"), Families.Both)
            .ShouldBe(Parse("2001:db8::1", "198.18.0.1"));
    }

    [Fact]
    public void Forced_family_keeps_one_address_of_that_family()
    {
        AddressChoice.Candidates(Parse("2001:db8::1", "198.18.0.1", "198.18.0.2"), Families.IPv4).ShouldBe(Parse("198.18.0.1"));
        AddressChoice.Candidates(Parse("198.18.0.1"), Families.IPv6).ShouldBeEmpty();
    }

    [Fact]
    public void IPv4_mapped_address_counts_as_IPv4()
    {
        AddressChoice.Candidates(Parse("::ffff:198.18.0.1"), Families.IPv4).ShouldBe(Parse("198.18.0.1"));
    }
}
