using System.Text.Json;

namespace NftKnock.Testing;

/// <summary>The client-link vectors of tests/vectors/link.json, written by an independent reference.</summary>
public static class LinkVectors
{
    /// <summary>A profile as the reference writes it.</summary>
    public sealed record Profile(
        string Host, int? Port, string Door, string? Secret, IReadOnlyList<string>? Sequence, int Knocks, long PeriodMs, string Ports,
        IReadOnlyList<string> Exclude, string? Client, string? Label);

    public sealed record Good(string Name, string Link, Profile Profile);

    public sealed record Bad(string Name, string Link, string Code);

    /// <summary>Links nftknock writes exactly so.</summary>
    public static IReadOnlyList<Good> Valid() => Read("valid").Select(ReadGood).ToList();

    /// <summary>Links a reader must accept although nftknock writes them otherwise.</summary>
    public static IReadOnlyList<Good> Accepted() => Read("accepted").Select(ReadGood).ToList();

    /// <summary>Links a reader must refuse, with the code nftknock gives.</summary>
    public static IReadOnlyList<Bad> Invalid() =>
        Read("invalid").Select(v => new Bad(v.GetProperty("name").GetString()!, v.GetProperty("link").GetString()!, v.GetProperty("code").GetString()!)).ToList();

    private static List<JsonElement> Read(string part)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "link.json")));
        return doc.RootElement.GetProperty(part).EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static Good ReadGood(JsonElement v)
    {
        var p = v.GetProperty("profile");
        string? Text(string name) => p.GetProperty(name).ValueKind == JsonValueKind.Null ? null : p.GetProperty(name).GetString();
        var profile = new Profile(
            Text("host")!,
            p.GetProperty("port").ValueKind == JsonValueKind.Null ? null : p.GetProperty("port").GetInt32(),
            Text("door")!,
            Text("secret"),
            p.GetProperty("sequence").ValueKind == JsonValueKind.Null ? null : p.GetProperty("sequence").EnumerateArray().Select(s => s.GetString()!).ToList(),
            p.GetProperty("knocks").GetInt32(),
            p.GetProperty("period_ms").GetInt64(),
            Text("ports")!,
            p.GetProperty("exclude").EnumerateArray().Select(s => s.GetString()!).ToList(),
            Text("client"),
            Text("label"));
        return new Good(v.GetProperty("name").GetString()!, v.GetProperty("link").GetString()!, profile);
    }
}
