using System.Text.Json;
using NftKnock.Cli.Checking;
using NftKnock.Core.Config;
using NftKnock.Core.Diagnostics;
using NftKnock.Server.Doctor;
using NftKnock.Server.Status;

namespace NftKnock.Cli.Tests.Server;

/// <summary>check, doctor and status print JSON by one escaping rule.</summary>
public sealed class JsonEscapingTests
{
    /// <summary>Quotes, a backslash, control characters, HTML-ish and non-ASCII text, a line separator, and a character outside the BMP.</summary>
    private const string Hostile = "a\"b\\c\u0001\u001b[31m\n\t<tag>&'é中\u2028\u202e😀";

    /// <summary>
    /// The hostile string as every one of the three writes it, quotes included: JSON's own escapes,
    /// \u for controls, U+2028 and surrogates; other text as it is (the bidi override too, which a
    /// JSON reader gets back unchanged).
    /// </summary>
    private const string Escaped = "\"a\\\"b\\\\c\\u0001\\u001B[31m\\n\\t<tag>&'é中\\u2028\u202e\\uD83D\\uDE00\"";

    private static string Check() => CheckJson.Write(new CheckResult(
        Hostile, null, new ConfigResult(null, [new Diagnostic(Severity.Error, "NK001", Hostile, 1, 1, Hostile)]), DryRun.NotRun));

    private static string Doctor() => DoctorCheck.ToJson([DoctorCheck.Fail(Hostile, Hostile, Hostile)]);

    private static string Status() => StatusJson.Write(new StatusReport(
        Hostile, [new DoorStatus(Hostile, [Hostile], 3, [new OpenEntry(Hostile, 1)], [new ProgressEntry(Hostile, 1, 1)], new Dictionary<string, long> { [Hostile] = 1 })]));

    public static TheoryData<string> Outputs => new() { "check", "doctor", "status" };

    [Theory]
    [MemberData(nameof(Outputs))]
    public void Every_json_output_escapes_a_hostile_string_the_same_way(string output)
    {
        var json = output switch { "check" => Check(), "doctor" => Doctor(), _ => Status() };

        using var doc = JsonDocument.Parse(json);
        var written = Strings(doc.RootElement).Count(s => s == Hostile);
        written.ShouldBeGreaterThan(0);
        json.Split(Escaped).Length.ShouldBe(written + 1, json);
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value).Prepend(p.Name)),
        _ => [],
    };
}
