using NftKnock.Client.Knocking;
using NftKnock.Client.Profiles;
using NftKnock.Client.Settings;
using NftKnock.Core.Model;

namespace NftKnock.Client.Tests.Settings;

public sealed class ClientSettingsTests
{
    private const string Profiles = """
        hosts:
          bastion.example.org:
            address: 198.18.1.1
            sequence: [7000/udp, 8000/tcp]
            port: 2222
            family: ipv6
            attempts: 6
            gap: 5ms
            connect-timeout: 2s
            back-off: 250ms
        """;

    private static (ClientTarget? Target, List<string> Errors, int Loads) Resolve(ClientArgs args, string host = "bastion.example.org", string yaml = Profiles, params string[] steps)
    {
        var errors = new List<string>();
        var loads = 0;
        var target = ClientSettings.Resolve(
            args,
            host,
            steps,
            _ =>
            {
                loads++;
                return new LoadedProfiles(ProfileReader.Read(yaml).Profiles!, "client.yaml");
            },
            errors.Add);
        return (target, errors, loads);
    }

    [Fact]
    public void The_profile_fills_in_what_the_command_line_leaves_out()
    {
        var (target, errors, _) = Resolve(new ClientArgs());

        errors.ShouldBeEmpty();
        target.ShouldNotBeNull();
        target.Request.Host.ShouldBe("198.18.1.1");
        target.Request.Family.ShouldBe(Families.IPv6);
        target.Request.Policy.ShouldBe(new RetryPolicy(6, TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(250)));
        target.Request.Sequence.ShouldBeOfType<StaticSequence>().Steps.ShouldBe([new Step(7000, Protocol.Udp), new Step(8000, Protocol.Tcp)]);
        target.Port.ShouldBe(2222);
    }

    [Fact]
    public void The_command_line_beats_the_profile()
    {
        var (target, errors, _) = Resolve(new ClientArgs(IPv4: true, Attempts: "3", Gap: "7ms", ConnectTimeout: "1s", BackOff: "50ms"), steps: "9000/udp");

        errors.ShouldBeEmpty();
        target.ShouldNotBeNull();
        target.Request.Family.ShouldBe(Families.IPv4);
        target.Request.Policy.ShouldBe(new RetryPolicy(3, TimeSpan.FromMilliseconds(7), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(50)));
        target.Request.Sequence.ShouldBeOfType<StaticSequence>().Steps.ShouldBe([new Step(9000, Protocol.Udp)]);
    }

    [Fact]
    public void Without_a_profile_the_defaults_hold()
    {
        var (target, errors, _) = Resolve(new ClientArgs(), host: "198.18.1.9", steps: "7000/udp");

        errors.ShouldBeEmpty();
        target.ShouldNotBeNull();
        target.Request.Family.ShouldBe(Families.Both);
        target.Request.Policy.ShouldBe(RetryPolicy.Default);
        target.Port.ShouldBeNull();
    }

    [Fact]
    public void Both_families_is_refused_before_the_profiles_are_read()
    {
        var (target, errors, loads) = Resolve(new ClientArgs(IPv4: true, IPv6: true));

        target.ShouldBeNull();
        errors.ShouldBe([ClientTexts.BothFamilies]);
        loads.ShouldBe(0);
    }

    [Theory]
    [InlineData("--attempts", "21", "nftknock: --attempts 21 is out of range. Use a whole number from 1 to 20.")]
    [InlineData("--gap", "3s", "nftknock: --gap 3s is out of range. Use a duration from 0s to 2s, like 500ms or 2s.")]
    [InlineData("--connect-timeout", "10ms", "nftknock: --connect-timeout 10ms is out of range. Use a duration from 50ms to 1m, like 500ms or 2s.")]
    [InlineData("--back-off", "31s", "nftknock: --back-off 31s is out of range. Use a duration from 0s to 30s, like 500ms or 2s.")]
    public void An_option_out_of_range_says_the_range(string option, string value, string expected)
    {
        var args = option switch
        {
            "--attempts" => new ClientArgs(Attempts: value),
            "--gap" => new ClientArgs(Gap: value),
            "--connect-timeout" => new ClientArgs(ConnectTimeout: value),
            _ => new ClientArgs(BackOff: value),
        };

        var (target, errors, _) = Resolve(args);

        target.ShouldBeNull();
        errors.ShouldBe([expected]);
    }

    [Fact]
    public void A_host_without_steps_anywhere_names_the_profiles_file()
    {
        var (target, errors, _) = Resolve(new ClientArgs(), host: "other.example.org");

        target.ShouldBeNull();
        errors.ShouldBe([ClientTexts.NoSteps("other.example.org", "client.yaml")]);
    }

    [Theory]
    [InlineData("22", 22)]
    [InlineData("65535", 65535)]
    [InlineData("0", null)]
    [InlineData("65536", null)]
    [InlineData("+22", null)]
    [InlineData(" 22", null)]
    [InlineData("ssh", null)]
    public void A_service_port_is_a_number_from_1_to_65535(string text, int? expected)
    {
        var errors = new List<string>();
        ClientSettings.ServicePort(text, errors.Add).ShouldBe(expected);
        errors.ShouldBe(expected is null ? [$"nftknock: '{text}' is not a port. Use a number from 1 to 65535."] : []);
    }

    public static TheoryData<string, string, string> Bounds => new()
    {
        { "gap", "2s", "2001ms" },
        { "connect-timeout", "50ms", "49ms" },
        { "connect-timeout", "1m", "60001ms" },
        { "back-off", "30s", "30001ms" },
        { "attempts", "20", "21" },
    };

    [Theory]
    [MemberData(nameof(Bounds))]
    public void A_profile_and_an_option_share_each_bound(string key, string inside, string outside)
    {
        static ClientArgs Option(string key, string value) => key switch
        {
            "gap" => new ClientArgs(Gap: value),
            "connect-timeout" => new ClientArgs(ConnectTimeout: value),
            "back-off" => new ClientArgs(BackOff: value),
            _ => new ClientArgs(Attempts: value),
        };

        static string Yaml(string key, string value) => $"hosts: {{h.example.org: {{sequence: [7000/udp], {key}: {value}}}}}";

        ProfileReader.Read(Yaml(key, inside)).Diagnostics.ShouldBeEmpty();
        ProfileReader.Read(Yaml(key, outside)).Profiles.ShouldBeNull();
        Resolve(Option(key, inside), "h.example.org", Yaml(key, inside)).Errors.ShouldBeEmpty();
        Resolve(Option(key, outside), "h.example.org", Yaml(key, inside)).Errors.ShouldHaveSingleItem();
    }
}
