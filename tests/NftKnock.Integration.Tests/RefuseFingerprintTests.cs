using System.Text.Json.Nodes;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

/// <summary>
/// <c>refuse: reset</c> answers unknocked sources as the kernel answers a port nobody listens on. Each
/// probe goes once to a closed port (23/tcp, 5354/udp: the kernel answers) and once to the door's
/// (22/tcp, 5353/udp: the table answers), and the answers are compared header field by header field.
/// What nft's reject cannot copy is listed in docs/configuration.md#refuse, and checked here to be
/// the only difference.
/// </summary>
public sealed class RefuseFingerprintTests
{
    private const string Config = """
        doors:
          ssh:
            protect: [22/tcp, 5353/udp]
            sequence: [7000/udp, 8000/tcp, 9000/udp]
            refuse: reset
        """;

    /// <summary>A DSCP (AF11) with ECN bits set: the kernel reflects the DSCP into its reset, never the ECN bits.</summary>
    private const int Tos = 0x2b;

    [CraftedFact]
    public async Task Ipv4_answers_match_the_kernels_closed_port_field_by_field()
    {
        await using var lab = await ServerSteps.StartServingAsync(Config);
        var server = Lab.ServerV4FromAttacker;

        await SameAsync(lab, server, "tcp", 0);
        await SameAsync(lab, server, "udp", Tos);
        // nft's reset carries TOS 0 where the kernel's carries the SYN's DSCP.
        await SameAsync(lab, server, "tcp", Tos, ("tos", "0", "40"));

        // A second address on the interface: the table refuses after routing (the input hook), so its
        // ICMP comes from the address the probe was sent to, as the kernel's does.
        (await lab.Server.RunAsync("ip", "addr", "add", "198.18.2.10/24", "dev", await DeviceAsync(lab, Lab.AttackerV4))).EnsureSuccess("ip addr add");
        await SameAsync(lab, "198.18.2.10", "udp", Tos);
        await SameAsync(lab, "198.18.2.10", "tcp", 0);

        // A broadcast destination: the kernel's closed ports are silent, and so is the door.
        await SameAsync(lab, "198.18.2.255", "udp", 0, link: ("ff:ff:ff:ff:ff:ff", Lab.AttackerV4), silent: true);
        await SameAsync(lab, "198.18.2.255", "tcp", 0, link: (await MacAsync(lab, Lab.AttackerV4), Lab.AttackerV4), silent: true);
    }

    [CraftedFact]
    public async Task Ipv6_answers_match_the_kernels_closed_port_field_by_field()
    {
        await using var lab = await ServerSteps.StartServingAsync(Config);
        var server = Lab.ServerV6FromAttacker;
        var mac = await MacAsync(lab, Lab.AttackerV6);

        await SameAsync(lab, server, "udp", Tos);
        // nft's reset carries traffic class 0 and flow label 0 where the kernel's carries the SYN's
        // DSCP and a flow label hashed from the connection.
        await SameAsync(lab, server, "tcp", 0, ("flowlabel", "0", "hash"));
        await SameAsync(lab, server, "tcp", Tos, ("flowlabel", "0", "hash"), ("tc", "0", "40"));

        // The subnet-router anycast address: silent. An address nothing routes: the kernel's own no-route answer.
        await SameAsync(lab, "2001:db8:2::", "udp", 0, link: (mac, Lab.AttackerV6), silent: true);
        await SameAsync(lab, "2001:db8:2::", "tcp", 0, link: (mac, Lab.AttackerV6), silent: true);
        await SameAsync(lab, "2001:db8:fff::1", "udp", 0, link: (mac, Lab.AttackerV6));
        await SameAsync(lab, "2001:db8:fff::1", "tcp", 0, link: (mac, Lab.AttackerV6));
    }

    /// <summary>
    /// Probes the closed port and the door's port alike and compares every field; each of
    /// <paramref name="documented"/> is a field whose values differ as said (the table's, the kernel's).
    /// </summary>
    private static async Task SameAsync(
        Lab lab,
        string destination,
        string protocol,
        int tos,
        params (string Field, string Refused, string Closed)[] documented) =>
        await SameAsync(lab, destination, protocol, tos, null, false, documented);

    private static async Task SameAsync(
        Lab lab,
        string destination,
        string protocol,
        int tos,
        (string Mac, string Source)? link,
        bool silent = false,
        params (string Field, string Refused, string Closed)[] documented)
    {
        var (closedPort, doorPort) = protocol == "tcp" ? ("23", "22") : ("5354", "5353");
        var closed = await AnswersAsync(lab, destination, protocol, closedPort, tos, link);
        var refused = await AnswersAsync(lab, destination, protocol, doorPort, tos, link);
        var what = $"{protocol} to {destination} with TOS {tos}";

        refused.Count.ShouldBe(closed.Count, $"{what}: refused {Text(refused)}, closed {Text(closed)}");
        if (silent)
        {
            closed.ShouldBeEmpty(what);
        }
        else
        {
            closed.ShouldNotBeEmpty($"{what}: the kernel gave no answer to compare with");
        }

        for (var i = 0; i < closed.Count; i++)
        {
            foreach (var (field, refusedValue, closedValue) in documented)
            {
                Value(refused[i], field).ShouldBe(refusedValue, $"{what}: {field}");
                Value(closed[i], field).ShouldBe(closedValue, $"{what}: {field}");
                refused[i].Remove(field);
                closed[i].Remove(field);
            }

            refused[i].ToJsonString().ShouldBe(closed[i].ToJsonString(), what);
        }
    }

    private static async Task<List<JsonObject>> AnswersAsync(Lab lab, string destination, string protocol, string port, int tos, (string Mac, string Source)? link)
    {
        string[] args = ["fingerprint", destination, port, protocol, tos.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var line = await lab.Attacker.ProbeAsync(link is { } l ? [.. args, l.Mac, l.Source] : args);
        return JsonNode.Parse(line)!.AsArray().Select(n => n!.AsObject()).ToList();
    }

    /// <summary>The MAC address of the server's side of the link that <paramref name="peer"/> is on.</summary>
    private static async Task<string> MacAsync(Lab lab, string peer) =>
        (await lab.Server.RunAsync("cat", $"/sys/class/net/{await DeviceAsync(lab, peer)}/address")).EnsureSuccess("mac").Stdout.Trim();

    /// <summary>The server's interface on the link that <paramref name="peer"/> is on.</summary>
    private static async Task<string> DeviceAsync(Lab lab, string peer)
    {
        var route = (await lab.Server.RunAsync("ip", "-o", "route", "get", peer)).EnsureSuccess("ip route get").Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return route[Array.IndexOf(route, "dev") + 1];
    }

    private static string Value(JsonObject answer, string field) => answer[field]?.ToString() ?? "(none)";

    private static string Text(List<JsonObject> answers) => string.Join(", ", answers.Select(a => a.ToJsonString()));
}
