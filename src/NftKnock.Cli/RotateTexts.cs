using System.Globalization;

namespace NftKnock.Cli;

/// <summary>User-facing sentences of rotate, init and apply's rotating lines, kept in one place.</summary>
internal static class RotateTexts
{
    public static string AfterApply(IReadOnlyList<string> doors) =>
        $"Rotating door{(doors.Count == 1 ? string.Empty : "s")} {string.Join(", ", doors)}: the current windows' knocks are loaded. Keep nftknock rotate running, or {(doors.Count == 1 ? "it closes" : "they close")} within two periods.";

    public static string NoRotatingDoors(string path) =>
        $"nftknock: {path} has no rotating doors, so there is nothing to rotate. Give a door rotating: instead of sequence:.";

    public static string TableMissing(string table) =>
        $"nftknock: table inet {table} is not loaded, so there is nowhere to write knocks. Run nftknock apply first.";

    public static string DoorNotLoaded(string door) =>
        $"nftknock: door {door} is not in the loaded table, so its knocks were not written. Run nftknock apply.";

    public static string Wrote(DateTimeOffset now, IReadOnlyList<string> doors, int knocks, DateTimeOffset next) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{Stamp(now)} rotated {string.Join(", ", doors)}: {knocks} knocks of the previous, current and next windows; next rotation at {Stamp(next)}.");

    public static string Stopped() => "nftknock: rotation stopped; rotating doors close within two periods.";

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
