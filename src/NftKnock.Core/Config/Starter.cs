using System.Globalization;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;

namespace NftKnock.Core.Config;

/// <summary>What <c>nftknock init</c> writes: a server config and the matching client profile. Pure: randomness is passed in.</summary>
public static class Starter
{
    /// <summary>Steps of a generated static sequence.</summary>
    public const int GeneratedSteps = 4;

    private const int MinPort = 10000;
    private const int MaxPort = 60000;

    /// <summary>
    /// A random static sequence that draws no sweep warning: <paramref name="next"/> returns a
    /// uniform integer in [min, max). Candidates with warnings are drawn again.
    /// </summary>
    public static IReadOnlyList<Step> RandomSequence(string door, string protect, Func<int, int, int> next)
    {
        for (var tries = 0; tries < 1000; tries++)
        {
            var steps = Enumerable.Range(0, GeneratedSteps).Select(_ => new Step(next(MinPort, MaxPort), Protocol.Udp)).ToList();
            var result = ConfigReader.Read(StaticConfig(door, protect, steps));
            if (result.IsValid && result.Diagnostics.Count == 0)
            {
                return steps;
            }
        }

        throw new InvalidOperationException("No sequence without sweep warnings in 1000 draws; the random source is broken.");
    }

    /// <summary>A server config with one static door.</summary>
    public static string StaticConfig(string door, string protect, IReadOnlyList<Step> steps) =>
        Header() + $"""
        doors:
          {door}:
            protect: [{protect}]
            sequence: [{string.Join(", ", steps)}]

        """;

    /// <summary>A server config with one rotating door and its secret file; protected ports inside the range are excluded.</summary>
    public static string RotatingConfig(string door, string protect, string secretFile) =>
        Header() + $"""
        doors:
          {door}:
            protect: [{protect}]
            rotating:
              secret-file: {secretFile}
              knocks: {RotatingDoor.DefaultKnocks}
              period: {Duration.Format(RotatingDoor.DefaultPeriod)}
              ports: {RotatingDoor.DefaultPorts.PortsText}

        """ + ExcludeLine(protect, "      ");

    /// <summary>The ports of <paramref name="protect"/> that fall in the default rotating range, which both sides must exclude.</summary>
    public static IReadOnlyList<string> Excluded(string protect) =>
        protect.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => PortRange.TryParse(p, PortRange.DefaultProtocol, out var r) ? r : (PortRange?)null)
            .OfType<PortRange>()
            .Where(r => r.Last >= RotatingDoor.DefaultPorts.First && r.First <= RotatingDoor.DefaultPorts.Last)
            .Select(r => r.PortsText)
            .ToList();

    private static string ExcludeLine(string protect, string indent) =>
        Excluded(protect) is { Count: > 0 } ports ? $"{indent}exclude: [{string.Join(", ", ports)}]\n" : string.Empty;

    /// <summary>The client profile for a static door, to paste into client.yaml.</summary>
    public static string StaticProfile(string host, int port, IReadOnlyList<Step> steps) =>
        ProfileHeader(host, port) + $"    sequence: [{string.Join(", ", steps)}]\n";

    /// <summary>The client profile for a rotating door, with the secret inline.</summary>
    public static string RotatingProfile(string host, int port, string door, string protect, string secretBase64) =>
        ProfileHeader(host, port)
        + "    rotating:\n"
        + $"      door: {door}\n"
        + $"      secret: {secretBase64}\n"
        + string.Create(CultureInfo.InvariantCulture, $"      knocks: {RotatingDoor.DefaultKnocks}\n")
        + $"      period: {Duration.Format(RotatingDoor.DefaultPeriod)}\n"
        + $"      ports: {RotatingDoor.DefaultPorts.PortsText}\n"
        + ExcludeLine(protect, "      ");

    /// <summary>Checks the door name and protected ports the way the config reader would, by reading a config made of them.</summary>
    public static IReadOnlyList<Diagnostic> Check(string door, string protect) =>
        ConfigReader.Read(StaticConfig(door, protect, [new Step(17000, Protocol.Udp), new Step(41000, Protocol.Udp), new Step(23000, Protocol.Udp)]))
            .Diagnostics.Where(d => d.Severity == Severity.Error).ToList();

    private static string Header() => "# Written by nftknock init. Check it with nftknock check, load it with nftknock apply.\n";

    private static string ProfileHeader(string host, int port) =>
        "# ~/.config/nftknock/client.yaml on the machine you connect from (%APPDATA%\\nftknock\\client.yaml on Windows)\n"
        + "hosts:\n"
        + $"  {host}:\n"
        + string.Create(CultureInfo.InvariantCulture, $"    port: {port}\n");
}
