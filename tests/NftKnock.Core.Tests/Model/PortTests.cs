using NftKnock.Core.Model;

namespace NftKnock.Core.Tests.Model;

public sealed class PortTests
{
    [Theory]
    [InlineData("1", 1)]
    [InlineData("22", 22)]
    [InlineData("65535", 65535)]
    [InlineData("0022", 22)]
    public void A_port_is_decimal_digits_from_1_to_65535(string text, int expected)
    {
        Port.TryParse(text, out var port).ShouldBeTrue();
        port.ShouldBe(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("-22")]
    [InlineData("+22")]
    [InlineData(" 22")]
    [InlineData("22 ")]
    [InlineData("0x16")]
    [InlineData("2_2")]
    [InlineData("99999999999999999999")]
    [InlineData("٢٢")]
    public void Anything_else_is_not_a_port(string text) =>
        Port.TryParse(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData("7000/udp")]
    [InlineData("22/tcp")]
    public void Steps_and_ranges_read_their_ports_alike(string text)
    {
        Step.TryParse(text, out var step).ShouldBeTrue();
        PortRange.TryParse(text, Protocol.Tcp, out var range).ShouldBeTrue();
        range.First.ShouldBe(step.Port);
    }

    [Theory]
    [InlineData("0/udp")]
    [InlineData("65536/udp")]
    [InlineData("+7000/udp")]
    public void Steps_and_ranges_refuse_the_same_ports(string text)
    {
        Step.TryParse(text, out _).ShouldBeFalse();
        PortRange.TryParse(text, Protocol.Tcp, out _).ShouldBeFalse();
    }
}
