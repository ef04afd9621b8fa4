using NftKnock.Core.Links;
using NftKnock.Core.Model;

namespace NftKnock.Core.Tests.Links;

public class ClientLinkTests
{
    public static TheoryData<string> ValidNames() => [.. LinkVectors.Valid().Select(v => v.Name)];

    public static TheoryData<string> AcceptedNames() => [.. LinkVectors.Accepted().Select(v => v.Name)];

    public static TheoryData<string> InvalidNames() => [.. LinkVectors.Invalid().Select(v => v.Name)];

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Format_writes_the_reference_link_for_each_profile(string name)
    {
        var vector = LinkVectors.Valid().Single(v => v.Name == name);
        FromProfile(vector.Profile).Format().ShouldBe(vector.Link);
    }

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Parse_reads_the_reference_profile_from_each_link(string name)
    {
        var vector = LinkVectors.Valid().Single(v => v.Name == name);
        ClientLink.TryParse(vector.Link, out var link, out var problem).ShouldBeTrue(problem?.Text);
        ToProfile(link!).ShouldBeEquivalentTo(vector.Profile);
        link!.Format().ShouldBe(vector.Link);
    }

    [Theory]
    [MemberData(nameof(AcceptedNames))]
    public void Parse_accepts_links_written_otherwise_and_ignores_unknown_parameters(string name)
    {
        var vector = LinkVectors.Accepted().Single(v => v.Name == name);
        ClientLink.TryParse(vector.Link, out var link, out var problem).ShouldBeTrue(problem?.Text);
        ToProfile(link!).ShouldBeEquivalentTo(vector.Profile);
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void Parse_refuses_each_invalid_link_with_its_code(string name)
    {
        var vector = LinkVectors.Invalid().Single(v => v.Name == name);
        ClientLink.TryParse(vector.Link, out var link, out var problem).ShouldBeFalse();
        link.ShouldBeNull();
        problem!.Value.Code.ShouldBe(vector.Code);
    }

    [Fact]
    public void A_newer_major_version_is_refused_with_a_message_that_says_to_update()
    {
        ClientLink.TryParse("nftknock://h.example/ssh?v=2&s=whatever", out _, out var problem).ShouldBeFalse();
        problem!.Value.Text.ShouldBe("This link has version 2, newer than this nftknock reads (1). Update nftknock, then import the link again.");
    }

    [Fact]
    public void A_random_rotating_profile_round_trips()
    {
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var secret = new byte[random.Next(32, 80)];
            random.NextBytes(secret);
            var first = random.Next(1, 60000);
            var spec = new RotatingSpec("d" + i, random.Next(1, 17), TimeSpan.FromMilliseconds(random.Next(1000, 3_600_001)), new PortRange(first, first + 500, Protocol.Udp), []);
            var link = ClientLink.Rotating(i % 2 == 0 ? "host.example" : "2001:db8::" + i.ToString("x"), i % 3 == 0 ? null : random.Next(1, 65536), spec, secret, "c" + i, i % 5 == 0 ? "ünï " + i : null);
            ClientLink.TryParse(link.Format(), out var back, out var problem).ShouldBeTrue(problem?.Text);
            back!.Format().ShouldBe(link.Format());
            back.Secret.ShouldBe(secret);
            back.Spec.Period.ShouldBe(spec.Period);
        }
    }

    private static ClientLink FromProfile(LinkVectors.Profile p) => p.Secret is { } secret
        ? ClientLink.Rotating(p.Host, p.Port, new RotatingSpec(p.Door, p.Knocks, TimeSpan.FromMilliseconds(p.PeriodMs), Range(p.Ports), p.Exclude.Select(Range).ToList()), Convert.FromBase64String(secret), p.Client, p.Label)
        : ClientLink.Static(p.Host, p.Port, p.Door, p.Sequence!.Select(s => Step.TryParse(s, out var step) ? step : throw new FormatException(s)).ToList(), p.Label) with { Client = p.Client };

    private static LinkVectors.Profile ToProfile(ClientLink l) => new(
        l.Host, l.Port, l.Door, l.Secret is { } s ? Convert.ToBase64String(s) : null, l.Sequence?.Select(s => s.ToString()).ToList(),
        l.Spec.Knocks, (long)l.Spec.Period.TotalMilliseconds, l.Spec.Ports.PortsText, l.Spec.Exclude.Select(e => e.PortsText).ToList(), l.Client, l.Label);

    private static PortRange Range(string text) => PortRange.TryParse(text, Protocol.Udp, out var r) ? r : throw new FormatException(text);
}
