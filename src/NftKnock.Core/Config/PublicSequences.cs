using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;
using NftKnock.Core.Yaml;

namespace NftKnock.Core.Config;

/// <summary>
/// Knock sequences printed in nftknock's own documentation (README, docs, samples, the packaged
/// sample config, the man page): everyone who has read them can knock with them. A test scans
/// those files, so a sequence added there and not here fails the build.
/// </summary>
public static class PublicSequences
{
    /// <summary>The documented sequences, steps separated by spaces.</summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "17342/udp 9121/tcp 28877/udp",
        "8123/udp 7345/tcp 9456/udp",
        "7000/udp 8000/udp 9000/udp",
        "7000/udp 8000/tcp 9000/udp",
        "7621/udp 6405/tcp 7950/udp",
        "5817/udp 6944/tcp 5102/udp",
        "80/tcp 443/tcp",
        "41873/udp 12794/tcp 30571/udp",
        "19001/udp 7202/tcp 38003/udp",
        "23817/udp 4410/tcp 51002/udp",
        "41721/udp 18077/tcp 33052/udp",
        "20817/udp 3311/udp 47119/udp",
        "12345/tcp 45678/tcp 23456/tcp 34567/tcp",
        "31337/udp 12011/tcp 44012/udp",
        "27030/udp 27015/tcp",
        "5901/udp 40123/udp 20444/udp 61002/udp",
        "22/tcp 51820/udp",
        "26841/udp 5123/tcp 39417/udp",
        "14362/udp 33907/tcp 8771/udp",
    };

    /// <summary>The key a sequence has in <see cref="Known"/>.</summary>
    public static string Key(IEnumerable<Step> steps) => string.Join(' ', steps);

    /// <summary>The doors of <paramref name="config"/> whose static sequence is a documented one.</summary>
    public static IReadOnlyList<string> DoorsUsingThem(ServerConfig config) =>
        config.Doors.Where(d => d.Rotating is null && Known.Contains(Key(d.Sequence))).Select(d => d.Name).ToList();

    /// <summary>
    /// <paramref name="result"/> with a warning for each door that uses a documented sequence. Not part
    /// of the reader, so the samples (documentation themselves) stay free of warnings: check adds it.
    /// </summary>
    /// <remarks>With the config's <paramref name="text"/>, each warning carries the line and column of the sequence.</remarks>
    public static ConfigResult WithWarnings(ConfigResult result, string? text = null) =>
        result.Config is not { } config || DoorsUsingThem(config) is not { Count: > 0 } doors
            ? result
            : result with
            {
                Diagnostics = [.. result.Diagnostics, .. doors.Select(d => Warning(d, SequenceNode(text, d)))],
            };

    private static Diagnostic Warning(string door, YamlNode? at)
    {
        var message = Messages.PublicSequence();
        return new Diagnostic(Severity.Warning, message.Code, $"doors.{door}.sequence", at?.Line ?? 0, at?.Column ?? 0, message.Text);
    }

    /// <summary>The node of doors.DOOR.sequence in <paramref name="text"/>, which the reader has accepted.</summary>
    private static YamlNode? SequenceNode(string? text, string door)
    {
        static YamlNode? Get(YamlNode? node, string key) =>
            node is YamlMapping mapping ? mapping.Entries.FirstOrDefault(e => e.Key.Value == key).Value : null;

        return text is null ? null : Get(Get(Get(YamlTree.Parse(text), "doors"), door), "sequence");
    }
}
