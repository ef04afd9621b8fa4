using System.Text.Json;
using NftKnock.Core.Model;
using NftKnock.Core.Rotating;
using NftKnock.Core.Ruleset;

namespace NftKnock.Server.Doctor;

/// <summary>
/// Whether <c>nftknock rotate</c> keeps the rotating map current. It writes windows t-1, t and t+1
/// with timeouts of up to two periods, once per period, so while it runs every rotating door has an
/// element with at least about one period left; once it stops they all expire within two periods.
/// </summary>
public static class Rotation
{
    /// <summary>The check's name.</summary>
    public const string Name = ServerTexts.CheckNames.Rotation;

    /// <summary>Checks the live table's rotating map (<c>nft -j list table</c>, null when the table is absent).</summary>
    public static DoctorCheck Check(ServerConfig config, string? tableJson)
    {
        var doors = config.Doors.Where(d => d.Rotating is not null).ToList();
        if (doors.Count == 0)
        {
            return DoctorCheck.Warn(Name, ServerTexts.NoRotatingDoors, ServerTexts.NoRotatingDoorsFix);
        }

        if (tableJson is null)
        {
            return DoctorCheck.Warn(Name, ServerTexts.RotationNoTable(config.Table), ServerTexts.RotationNoTableFix);
        }

        var latest = LatestExpiry(tableJson);
        var stopped = new List<string>();
        foreach (var door in doors)
        {
            // Written once per period with up to two periods left, the latest element has about one
            // period left just before the next write; half a period leaves room for a late write.
            var left = RotationScript.Targets(door).Select(chain => latest.GetValueOrDefault(chain, -1)).DefaultIfEmpty(-1).Max();
            if (left < door.Rotating!.Period.TotalMilliseconds / 2)
            {
                stopped.Add(door.Name);
            }
        }

        return stopped.Count == 0
            ? DoctorCheck.Pass(Name, ServerTexts.RotationOk(doors.Count))
            : DoctorCheck.Fail(Name, ServerTexts.RotationStopped(stopped), ServerTexts.RotationStoppedFix);
    }

    /// <summary>For each step chain the rotating map points at, the longest time left (ms) of its elements.</summary>
    private static Dictionary<string, long> LatestExpiry(string tableJson)
    {
        var latest = new Dictionary<string, long>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(tableJson);
        foreach (var item in doc.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (!item.TryGetProperty("map", out var map) || map.GetProperty("name").GetString() != Names.Rotating || !map.TryGetProperty("elem", out var elems))
            {
                continue;
            }

            // Map elements are [{"elem": {"val": ..., "timeout": s, "expires": s}}, {"goto": {"target": chain}}].
            foreach (var pair in elems.EnumerateArray())
            {
                if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
                    || !pair[0].TryGetProperty("elem", out var elem)
                    || !pair[1].TryGetProperty("goto", out var jump))
                {
                    continue;
                }

                var seconds = elem.TryGetProperty("expires", out var e) ? e.GetDouble()
                    : elem.TryGetProperty("timeout", out var t) ? t.GetDouble() : 0;
                var ms = (long)(seconds * 1000);
                var target = jump.GetProperty("target").GetString()!;
                latest[target] = Math.Max(ms, latest.GetValueOrDefault(target, -1));
            }
        }

        return latest;
    }
}
