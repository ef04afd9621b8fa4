using NftKnock.Client.Knocking;
using NftKnock.Client.Profiles;
using NftKnock.Core.Model;

namespace NftKnock.Client.Tests.Profiles;

public sealed class ProfileReaderTests
{
    private static string[] Problems(string yaml)
    {
        var result = ProfileReader.Read(yaml);
        result.Profiles.ShouldBeNull();
        return result.Diagnostics.Select(d => d.Format("client.yaml")).ToArray();
    }

    [Fact]
    public void Full_profile_is_read_with_every_setting()
    {
        var result = ProfileReader.Read("""
            hosts:
              bastion.example.org:
                address: 198.18.1.1
                sequence: [7000/udp, 8000/tcp, 9000]
                port: 2222
                family: ipv4
                attempts: 6
                gap: 5ms
                connect-timeout: 2s
                back-off: 250ms
            """);

        result.Diagnostics.ShouldBeEmpty();
        var profile = result.Profiles!.Hosts.ShouldHaveSingleItem();
        profile.Pattern.ShouldBe("bastion.example.org");
        profile.Address.ShouldBe("198.18.1.1");
        profile.Sequence.ShouldBeOfType<StaticSequence>().Steps.ShouldBe([new Step(7000, Protocol.Udp), new Step(8000, Protocol.Tcp), new Step(9000, Protocol.Udp)]);
        profile.Port.ShouldBe(2222);
        profile.Family.ShouldBe(Families.IPv4);
        profile.Apply(RetryPolicy.Default).ShouldBe(new RetryPolicy(6, TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(250)));
    }

    [Fact]
    public void Settings_a_profile_leaves_out_keep_the_defaults()
    {
        var profile = ProfileReader.Read("hosts:\n  a.test:\n    sequence: [7000/udp]\n").Profiles!.Hosts[0];

        profile.Apply(RetryPolicy.Default).ShouldBe(RetryPolicy.Default);
        profile.Family.ShouldBeNull();
        profile.Address.ShouldBeNull();
    }

    [Fact]
    public void Empty_hosts_map_is_valid()
    {
        ProfileReader.Read("hosts:\n").Profiles!.Hosts.ShouldBeEmpty();
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_line_value_and_fix()
    {
        Problems("""
            hosts:
              a.test:
                sequence: [7000/udp, 70000/udp, 7000/udp]
                port: 0
                attempts: 50
                family: ipv5
                gap: fast
                connect-timeout: 5m
                adress: 198.18.1.1
              "bad host":
                sequence: [1/udp]
            """).ShouldBe([
            "client.yaml:9:5: error NK010 at hosts.a.test.adress: Unknown key 'adress'. Valid keys here: address, sequence, rotating, port, family, attempts, gap, connect-timeout, back-off.",
            "client.yaml:3:26: error NK040 at hosts.a.test.sequence[1]: '70000/udp' is not a knock step. Write PORT/udp or PORT/tcp with PORT in 1..65535, like 7000/udp.",
            "client.yaml:3:37: error NK045 at hosts.a.test.sequence[2]: The knock step 7000/udp repeats step 1. Use a different port for every step.",
            "client.yaml:4:11: error NK203 at hosts.a.test.port: '0' is not a port. Use a number from 1 to 65535, like 22.",
            "client.yaml:6:13: error NK021 at hosts.a.test.family: 'ipv5' is not a valid family. Use ipv4, ipv6 or any.",
            "client.yaml:5:15: error NK204 at hosts.a.test.attempts: attempts '50' is out of range. Use a whole number from 1 to 20.",
            "client.yaml:7:10: error NK050 at hosts.a.test.gap: 'fast' is not a duration. Write a whole number followed by ms, s, m or h, like 500ms, 2s or 1m.",
            "client.yaml:8:22: error NK051 at hosts.a.test.connect-timeout: connect-timeout 5m is out of range. Use a value from 50ms to 1m.",
            "client.yaml:10:3: error NK201 at hosts.bad host: 'bad host' is not a host name or pattern. Use a name like bastion.example.org or a glob like *.example.org (* and ? match any characters).",
        ]);
    }

    [Fact]
    public void Host_listed_twice_is_an_error_naming_the_first_line()
    {
        Problems("hosts:\n  a.test: {sequence: [7000]}\n  A.test: {sequence: [8000]}\n").ShouldBe([
            "client.yaml:3:3: error NK205 at hosts.A.test: The host 'A.test' is already listed at line 2. Keep one entry per host.",
        ]);
    }

    [Fact]
    public void Missing_hosts_key_says_what_to_add()
    {
        Problems("host:\n  a.test: {}\n").ShouldBe([
            "client.yaml:1:1: error NK010 at host: Unknown key 'host'. Valid keys here: hosts.",
            "client.yaml:1:1: error NK013: The profiles file has no 'hosts'. Add it, for example hosts: {bastion.example.org: {sequence: [7000/udp, 8000/tcp, 9000/udp]}}.",
        ]);
    }

    [Fact]
    public void Bad_address_empty_sequence_and_list_for_port_are_reported()
    {
        Problems("hosts:\n  a.test:\n    address: 'not an address!'\n    sequence: []\n    port: [22]\n").ShouldBe([
            "client.yaml:3:14: error NK202 at hosts.a.test.address: 'not an address!' is not an address. Write an IP address like 198.51.100.7 (four decimal numbers 0-255, no leading zeros) or 2001:db8::7, or a host name.",
            "client.yaml:4:15: error NK043 at hosts.a.test.sequence: The sequence is empty. List 1 to 16 knock steps, like [7000/udp, 8000/tcp, 9000/udp].",
            "client.yaml:5:11: error NK012 at hosts.a.test.port: 'port' must be a single value.",
        ]);
    }

    [Theory]
    [InlineData("010.000.000.001")]
    [InlineData("10.1")]
    [InlineData("0x7f.1")]
    [InlineData("1")]
    [InlineData("1.2.3.4.5")]
    public void Addresses_the_system_would_read_the_inet_aton_way_are_refused(string address)
    {
        Problems($"hosts:\n  a.test:\n    address: '{address}'\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n").ShouldBe([
            $"client.yaml:3:14: error NK202 at hosts.a.test.address: '{address}' is not an address. Write an IP address like 198.51.100.7 (four decimal numbers 0-255, no leading zeros) or 2001:db8::7, or a host name.",
        ]);
    }

    [Fact]
    public void An_address_with_a_zone_index_has_its_own_message()
    {
        Problems("hosts:\n  a.test:\n    address: 'fe80::1%eth0'\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n").ShouldBe([
            "client.yaml:3:14: error NK206 at hosts.a.test.address: 'fe80::1%eth0' has a zone index: zone indices like %eth0 are not allowed in addresses. Write the address without it, or a host name.",
        ]);
    }

    [Theory]
    [InlineData("198.51.100.7")]
    [InlineData("2001:db8::7")]
    [InlineData("bastion.example.org")]
    [InlineData("host-1")]
    public void Canonical_addresses_and_host_names_are_taken(string address) =>
        ProfileReader.Read($"hosts:\n  a.test:\n    address: '{address}'\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n").Diagnostics.ShouldBeEmpty();

    [Fact]
    public void Empty_file_and_broken_yaml_are_reported()
    {
        Problems("").ShouldBe([
            "client.yaml: error NK002: The file is empty. Add a hosts: map, like hosts: {bastion.example.org: {sequence: [7000/udp, 8000/tcp, 9000/udp]}}.",
        ]);
        Problems("hosts:\n  a.test: [\n").ShouldHaveSingleItem().ShouldStartWith("client.yaml:3:1: error NK001: The file is not valid YAML (");
    }

    [Fact]
    public void Hosts_that_is_not_a_map_is_reported()
    {
        Problems("hosts: [a.test]\n").ShouldBe([
            "client.yaml:1:8: error NK012 at hosts: 'hosts' must be a mapping from host names to profiles.",
        ]);
        Problems("hosts:\n  a.test: [7000/udp]\n").ShouldBe([
            "client.yaml:2:11: error NK012 at hosts.a.test: The host 'a.test' must be a mapping with the keys address, sequence, rotating, port, family, attempts, gap, connect-timeout, back-off.",
        ]);
    }
}
