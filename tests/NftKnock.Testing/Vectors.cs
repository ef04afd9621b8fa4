using System.Text.Json;
using NftKnock.Core.Model;

namespace NftKnock.Testing;

/// <summary>The shared test vectors of tests/vectors/rotating.json, written by an independent reference.</summary>
public static class Vectors
{
    public sealed record Case(string Name, byte[] Secret, RotatingSpec Spec, long Window, IReadOnlyList<(int Port, string Token)> Expect);

    public static IReadOnlyList<Case> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "rotating.json")));
        return doc.RootElement.GetProperty("vectors").EnumerateArray().Select(v => new Case(
            v.GetProperty("name").GetString()!,
            Convert.FromBase64String(v.GetProperty("secret").GetString()!),
            new RotatingSpec(
                v.GetProperty("door").GetString()!,
                v.GetProperty("knocks").GetInt32(),
                TimeSpan.FromMilliseconds(v.GetProperty("period_ms").GetInt64()),
                Range(v.GetProperty("ports").GetString()!),
                v.GetProperty("exclude").EnumerateArray().Select(e => Range(e.GetString()!)).ToList()),
            v.GetProperty("window").GetInt64(),
            v.GetProperty("expect").EnumerateArray().Select(e => (e.GetProperty("port").GetInt32(), e.GetProperty("token").GetString()!)).ToList()))
            .ToList();
    }

    private static PortRange Range(string text) =>
        PortRange.TryParse(text, Protocol.Udp, out var range) ? range : throw new FormatException(text);
}
