using NftKnock.Client.Profiles;

namespace NftKnock.Client.Tests.Profiles;

/// <summary>
/// Fuzz-style: hostile profile files, kept in Hostile/ or generated here when they run to megabytes,
/// must each give diagnostics, one line apiece and free of control characters, and never an exception.
/// </summary>
public sealed class HostileProfileTests
{
    public static TheoryData<string> Corpus() => HostileDocuments.Corpus();

    public static TheoryData<string> Generated() => [.. Documents.Keys];

    private static readonly Dictionary<string, Func<string>> Documents = new()
    {
        ["flow nesting 100000 deep"] = () => "hosts: " + new string('[', 100_000) + new string(']', 100_000),
        ["block nesting 100000 deep"] = () => "hosts:\n  h:\n    sequence: " + string.Concat(Enumerable.Repeat("- ", 100_000)) + "7000/udp\n",
        ["mapping nesting 100000 deep"] = () => "hosts: " + string.Concat(Enumerable.Repeat("{h: ", 100_000)) + "1" + new string('}', 100_000),
        ["one 900 KB line"] = () => "hosts: {h: {address: " + new string('a', 900_000) + "}}\n",
        ["a sequence of 60000 steps"] = () => "hosts:\n  h:\n    sequence: [" + string.Join(", ", Enumerable.Range(1, 60_000).Select(p => $"{p}/udp")) + "]\n",
        ["14000 hosts, one of them bad"] = () => "hosts:\n" + string.Concat(Enumerable.Range(0, 14_000).Select(i => $"  h{i}.example.org: {{sequence: [7000/udp, 9000/tcp, 8000/udp]}}\n")) + "  bad: {gap: 999999999h}\n",
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void A_hostile_profile_file_gives_diagnostics_and_never_an_exception(string name) =>
        ShouldBeRefusedQuietly(HostileDocuments.Read(name));

    [Theory]
    [MemberData(nameof(Generated))]
    public void A_generated_hostile_profile_gives_diagnostics_and_never_an_exception(string name) =>
        ShouldBeRefusedQuietly(Documents[name]());

    [Fact]
    public void A_gap_too_long_for_any_clock_is_out_of_range()
    {
        var result = ProfileReader.Read("hosts:\n  h:\n    sequence: [7000/udp, 9000/tcp, 8000/udp]\n    gap: 999999999h\n");

        result.Diagnostics.Select(d => d.Format("client.yaml")).ShouldBe(
            ["client.yaml:4:10: error NK051 at hosts.h.gap: gap 999999999h is out of range. Use a value from 0s to 2s."]);
    }

    private static void ShouldBeRefusedQuietly(string text) =>
        HostileDocuments.ShouldBeRefusedQuietly(() => ProfileReader.Read(text) is var r ? (r.Profiles is not null, r.Diagnostics) : default, "client.yaml");
}
