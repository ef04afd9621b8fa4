using NftKnock.Client.Profiles;

namespace NftKnock.Client.Tests.Profiles;

public sealed class HostMatchingTests
{
    private static readonly ProfileSet Set = ProfileReader.Read("""
        hosts:
          "*.example.org": {port: 1}
          "db?.example.org": {port: 2}
          bastion.example.org: {port: 3}
          "*": {port: 4}
        """).Profiles!;

    [Theory]
    [InlineData("bastion.example.org", 3)]
    [InlineData("BASTION.Example.org", 3)]
    [InlineData("db1.example.org", 1)]
    [InlineData("www.example.org", 1)]
    [InlineData("example.org", 4)]
    [InlineData("198.18.1.1", 4)]
    public void Exact_name_wins_then_the_first_matching_glob(string host, int port)
    {
        Set.Find(host)!.Port.ShouldBe(port);
    }

    [Fact]
    public void No_match_gives_no_profile()
    {
        ProfileReader.Read("hosts:\n  a.test: {port: 1}\n").Profiles!.Find("b.test").ShouldBeNull();
    }

    [Theory]
    [InlineData("*.example.org", "a.b.example.org", true)]
    [InlineData("*.example.org", "example.org", false)]
    [InlineData("db?", "db1", true)]
    [InlineData("db?", "db10", false)]
    [InlineData("*db*", "mydbhost", true)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    public void Globs_match_like_ssh_config_patterns(string pattern, string host, bool matches)
    {
        HostPattern.Matches(pattern, host).ShouldBe(matches);
    }

    [Fact]
    public void Default_path_follows_xdg_home_and_appdata()
    {
        string? Env(string name) => name switch
        {
            "HOME" => "/home/ana",
            "XDG_CONFIG_HOME" => "/home/ana/.cfg",
            "APPDATA" => @"C:\Users\ana\AppData\Roaming",
            _ => null,
        };

        ProfilePaths.Default(Env, windows: false).ShouldBe("/home/ana/.cfg/nftknock/client.yaml");
        ProfilePaths.Default(n => n == "HOME" ? "/home/ana" : null, windows: false).ShouldBe("/home/ana/.config/nftknock/client.yaml");
        ProfilePaths.Default(n => n == "XDG_CONFIG_HOME" ? "relative" : n == "HOME" ? "/h" : null, windows: false).ShouldBe("/h/.config/nftknock/client.yaml");
        ProfilePaths.Default(Env, windows: true).ShouldBe(Path.Join(@"C:\Users\ana\AppData\Roaming", "nftknock", "client.yaml"));
        ProfilePaths.Default(_ => null, windows: false).ShouldBeNull();
    }
}
