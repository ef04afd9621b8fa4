using System.Net;
using NftKnock.Core.Config;
using NftKnock.Core.Model;

namespace NftKnock.Core.Tests;

public sealed class ConfigReaderTests
{
    [Fact]
    public void Defaults_fill_every_key_left_out()
    {
        var config = ConfigReader.Read("doors:\n  ssh:\n    protect: 22\n    sequence: [7000, 18000/tcp, 9000]\n").Config!;

        config.Table.ShouldBe("nftknock");
        config.Mode.ShouldBe(Mode.Guard);
        var door = config.Doors.ShouldHaveSingleItem();
        door.Protect.ShouldBe([new PortRange(22, 22, Protocol.Tcp)]);
        door.Sequence.ShouldBe([new Step(7000, Protocol.Udp), new Step(18000, Protocol.Tcp), new Step(9000, Protocol.Udp)]);
        door.StepTimeout.ShouldBe(TimeSpan.FromSeconds(2));
        door.OpenFor.ShouldBe(TimeSpan.FromSeconds(10));
        door.Refresh.ShouldBe(Refresh.Update);
        door.CloseOnConnect.ShouldBeFalse();
        door.Families.ShouldBe(Families.Both);
        door.Allow.ShouldBeEmpty();
        door.Log.ShouldBeTrue();
        door.LogGroup.ShouldBeNull();
        door.GrantPrefix.ShouldBe(new GrantPrefix(32, 128));
        door.Refuse.ShouldBe(Refuse.Drop);
    }

    [Theory]
    [InlineData("", "", Refuse.Drop)]
    [InlineData("", "    refuse: reset\n", Refuse.Reset)]
    [InlineData("mode: firewall\n", "", Refuse.Drop)]
    [InlineData("mode: firewall\nfirewall:\n  reject: true\n", "", Refuse.Reset)]
    [InlineData("mode: firewall\nfirewall:\n  reject: true\n", "    refuse: drop\n", Refuse.Drop)]
    public void A_door_refuses_as_it_says_or_else_as_the_mode_does(string root, string door, Refuse expected)
    {
        var config = ConfigReader.Read($"{root}doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [17000/udp, 8000/tcp, 29000/udp]\n{door}").Config!;

        config.Doors.ShouldHaveSingleItem().Refuse.ShouldBe(expected);
    }

    [Fact]
    public void Every_key_of_the_full_sample_is_read()
    {
        var config = ConfigReader.Read(File.ReadAllText(Repo.Path("samples", "full.yaml"))).Config!;
        var door = config.Doors.ShouldHaveSingleItem();

        door.Name.ShouldBe("ssh");
        door.Allow.ShouldBe([IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("2001:db8::/32")]);
        door.Sequence.Count.ShouldBe(3);
    }

    [Fact]
    public void Firewall_mode_reads_its_section()
    {
        var config = ConfigReader.Read(File.ReadAllText(Repo.Path("samples", "firewall.yaml"))).Config!;

        config.Mode.ShouldBe(Mode.Firewall);
        config.Firewall.Allow.ShouldBe([new PortRange(80, 80, Protocol.Tcp), new PortRange(443, 443, Protocol.Tcp)]);
        config.Firewall.Reject.ShouldBeTrue();
        config.Firewall.Icmp.ShouldBe(IcmpPolicy.Essential);
        config.Firewall.ForwardAccept.ShouldBeFalse();
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("2s", 2000)]
    [InlineData("1m", 60_000)]
    [InlineData("1h", 3_600_000)]
    public void Durations_parse_and_format_round_trip(string text, int ms)
    {
        Duration.TryParse(text, out var value).ShouldBeTrue();
        value.TotalMilliseconds.ShouldBe(ms);
        Duration.Format(value).ShouldBe(text);
    }

    [Theory]
    [InlineData("6000-6010/tcp", 6000, 6010, Protocol.Tcp)]
    [InlineData("53/udp", 53, 53, Protocol.Udp)]
    [InlineData("22", 22, 22, Protocol.Tcp)]
    public void Port_ranges_parse(string text, int first, int last, Protocol protocol)
    {
        PortRange.TryParse(text, PortRange.DefaultProtocol, out var range).ShouldBeTrue();
        range.ShouldBe(new PortRange(first, last, protocol));
    }
}
