using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;

namespace NftKnock.Core.Config;

/// <summary>What <c>nftknock init</c> writes: a server config and the matching client profile. Pure: randomness is passed in.</summary>
public static partial class Starter
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

    /// <summary>
    /// A server config with one static door. The YAML is composed from parsed values only (a checked
    /// door name, the protected ports as <see cref="PortRange"/> writes them), so no argument can add keys.
    /// </summary>
    public static string StaticConfig(string door, string protect, IReadOnlyList<Step> steps) =>
        Header() + $"""
        doors:
          {Door(door)}:
            protect: [{Canonical(protect)}]
            sequence: [{string.Join(", ", steps)}]

        """;

    /// <summary>
    /// A server config with one rotating door and its secret file (a quoted scalar, whatever the path holds);
    /// protected ports inside the range are excluded.
    /// </summary>
    public static string RotatingConfig(string door, string protect, string secretFile) =>
        Header() + $"""
        doors:
          {Door(door)}:
            protect: [{Canonical(protect)}]
            rotating:
              secret-file: {Quote(secretFile)}
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
        + $"      door: {Door(door)}\n"
        + $"      secret: {secretBase64}\n"
        + string.Create(CultureInfo.InvariantCulture, $"      knocks: {RotatingDoor.DefaultKnocks}\n")
        + $"      period: {Duration.Format(RotatingDoor.DefaultPeriod)}\n"
        + $"      ports: {RotatingDoor.DefaultPorts.PortsText}\n"
        + ExcludeLine(protect, "      ");

    /// <summary>
    /// Checks the door name and each protected port on its own, then the way the config reader would,
    /// by reading a config made of the parsed values (never of the raw text).
    /// </summary>
    public static IReadOnlyList<Diagnostic> Check(string door, string protect)
    {
        var errors = new List<Diagnostic>();
        if (!NftText.IsDoorName(door))
        {
            errors.Add(Error(Messages.BadDoorName(door), "door"));
        }

        var items = protect.Split(',', StringSplitOptions.TrimEntries);
        if (items.All(i => i.Length == 0))
        {
            errors.Add(Error(Messages.EmptyProtect(), "protect"));
        }
        else
        {
            errors.AddRange(items.Where(i => !PortRange.TryParse(i, PortRange.DefaultProtocol, out _)).Select(i => Error(Messages.BadPortRange(i), "protect")));
        }

        return errors.Count > 0
            ? errors
            : ConfigReader.Read(StaticConfig(door, protect, [new Step(17000, Protocol.Udp), new Step(41000, Protocol.Udp), new Step(23000, Protocol.Udp)]))
                .Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
    }

    /// <summary>
    /// A YAML scalar holding exactly <paramref name="text"/>: plain when that is unambiguous (paths, host
    /// names), else double-quoted, so no '#', ':' or newline in it can change the document.
    /// </summary>
    public static string Quote(string text)
    {
        if (PlainScalar().IsMatch(text) && !ReservedWord().IsMatch(text))
        {
            return text;
        }

        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                _ when c < ' ' || c == '\x7f' || c == '\u0085' || c == '\u2028' || c == '\u2029' => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>The protected ports as the config writes them, from their parsed values.</summary>
    private static string Canonical(string protect) =>
        string.Join(", ", protect.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(p =>
            PortRange.TryParse(p, PortRange.DefaultProtocol, out var range) ? range.ToString() : throw new ArgumentException($"'{p}' is not a port range; call Check first.", nameof(protect))));

    private static string Door(string door) =>
        NftText.IsDoorName(door) ? door : throw new ArgumentException($"'{door}' is not a door name; call Check first.", nameof(door));

    [GeneratedRegex(@"^[A-Za-z0-9/_.][A-Za-z0-9/_.+-]*\z")]
    private static partial Regex PlainScalar();

    [GeneratedRegex(@"^(?i:null|true|false|yes|no|on|off|y|n)\z")]
    private static partial Regex ReservedWord();

    private static Diagnostic Error(Message message, string path) => new(Severity.Error, message.Code, path, 0, 0, message.Text);

    private static string Header() => "# Written by nftknock init. Check it with nftknock check, load it with nftknock apply.\n";

    private static string ProfileHeader(string host, int port) =>
        "# ~/.config/nftknock/client.yaml on the machine you connect from (%APPDATA%\\nftknock\\client.yaml on Windows)\n"
        + "hosts:\n"
        + $"  {Quote(host)}:\n"
        + string.Create(CultureInfo.InvariantCulture, $"    port: {port}\n");
}
