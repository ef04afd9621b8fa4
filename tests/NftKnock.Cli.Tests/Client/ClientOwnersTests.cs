using NftKnock.Cli.Enrolment;

namespace NftKnock.Cli.Tests.Client;

/// <summary>Tokens read back from the owner sets as nft -j lists them.</summary>
public sealed class ClientOwnersTests
{
    [Theory]
    [InlineData("-5995445181833555360", 0xaccbe65f527bd260UL)]
    [InlineData("17451115350011702978", 0xf22ed0f36bd06ec2UL)]
    [InlineData("6989586621679009792", 0x6100000000000000UL)]
    public void A_token_is_read_whether_the_listing_prints_it_signed_or_not(string listed, ulong token)
    {
        ClientOwners.TryToken(listed, out var read).ShouldBeTrue();
        read.ShouldBe(token);
    }

    [Theory]
    [InlineData("0xaccbe65f527bd260")]
    [InlineData("198.18.1.2")]
    [InlineData("")]
    public void Anything_else_is_not_a_token(string listed) => ClientOwners.TryToken(listed, out _).ShouldBeFalse();
}
