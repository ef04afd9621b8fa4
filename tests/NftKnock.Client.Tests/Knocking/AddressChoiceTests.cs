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
        AddressChoice.OnePerFamily(Parse("::ffff:198.18.0.1", "2001:db8::1"), Families.IPv4).ShouldBe(Parse("198.18.0.1"));
    }

    [Fact]
    public void Knock_takes_the_lowest_address_of_each_family_IPv4_first()
    {
        AddressChoice.OnePerFamily(Parse("2001:db8::9", "198.18.0.20", "2001:db8::1:0", "198.18.0.3", "2001:db8::10"), Families.Both)
            .ShouldBe(Parse("198.18.0.3", "2001:db8::9"));
    }

    [Fact]
    public void Knock_on_a_name_with_only_A_or_only_AAAA_records_takes_that_family()
    {
        AddressChoice.OnePerFamily(Parse("198.18.0.2", "198.18.0.1"), Families.Both).ShouldBe(Parse("198.18.0.1"));
        AddressChoice.OnePerFamily(Parse("2001:db8::2", "2001:db8::1"), Families.Both).ShouldBe(Parse("2001:db8::1"));
    }

    [Fact]
    public void Knock_with_minus_4_or_minus_6_takes_one_address_of_that_family_only()
    {
        var dual = Parse("2001:db8::2", "198.18.0.2", "2001:db8::1", "198.18.0.1");

        AddressChoice.OnePerFamily(dual, Families.IPv4).ShouldBe(Parse("198.18.0.1"));
        AddressChoice.OnePerFamily(dual, Families.IPv6).ShouldBe(Parse("2001:db8::1"));
        AddressChoice.OnePerFamily(Parse("198.18.0.1"), Families.IPv6).ShouldBeEmpty();
    }

    [Fact]
    public void Knock_choice_does_not_depend_on_the_order_the_resolver_gives()
    {
        var records = Parse("198.18.0.7", "2001:db8::7", "198.18.0.5", "2001:db8::5", "198.18.0.6");
        var expected = Parse("198.18.0.5", "2001:db8::5");

        // A resolver that rotates its records answers each call in another order.
        for (var shift = 0; shift < records.Length; shift++)
        {
            var rotated = records.Skip(shift).Concat(records.Take(shift)).ToArray();
            AddressChoice.OnePerFamily(rotated, Families.Both).ShouldBe(expected, $"records rotated by {shift}");
            AddressChoice.OnePerFamily(rotated.Reverse().ToArray(), Families.Both).ShouldBe(expected, $"records rotated by {shift}, reversed");
        }
    }

    [Fact]
    public void Family_names_are_the_ones_messages_use()
    {
        AddressChoice.FamilyName(IPAddress.Parse("198.18.0.1")).ShouldBe("IPv4");
        AddressChoice.FamilyName(IPAddress.Parse("::ffff:198.18.0.1")).ShouldBe("IPv4");
        AddressChoice.FamilyName(IPAddress.Parse("2001:db8::1")).ShouldBe("IPv6");
    }
}
