using NftKnock.Server.Namespaces;

namespace NftKnock.Server.Tests.Namespaces;

public sealed class NamespaceNetworkTests
{
    [Theory]
    [InlineData("192.0.2.1", "198.18.1.2", "2001:db8:1::1", "2001:db8:1::2")]
    [InlineData("198.18.1.1", "198.20.0.2", "2001:db8:1::1", "2001:db8:1::2")]
    [InlineData("198.18.1.1", "198.18.1.2", "2001:db9::1", "2001:db8:1::2")]
    [InlineData("198.18.1.1", "198.18.1.2", "2001:db8:1::1", "fd00::2")]
    public async Task An_address_outside_the_reserved_ranges_is_refused_before_any_namespace_exists(string hub4, string peer4, string hub6, string peer6)
    {
        var link = new VethLink("peer", "h0", "p0", hub4, peer4, hub6, peer6);

        var error = await Should.ThrowAsync<ArgumentException>(() => NamespaceNetwork.CreateAsync("nkt", "hub", [link]));

        error.Message.ShouldContain("namespace links use only 198.18.0.0/15 and 2001:db8::/32");
    }
}
