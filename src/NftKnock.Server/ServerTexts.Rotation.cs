using System.Globalization;

namespace NftKnock.Server;

/// <summary>User-facing sentences of rotation: the served-windows record and what is loaded.</summary>
public static partial class ServerTexts
{
    /// <summary>A time as rotate prints it: UTC to the millisecond.</summary>
    public static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>A door's windows all lie behind what was served.</summary>
    public static string ClockBehind(string door, DateTimeOffset now, long served, DateTimeOffset resume) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"nftknock: door {door}: the clock ({Stamp(now)}) is behind window {served}, which was already served, or the table lost its claims since; its knocks stay unloaded until {Stamp(resume)} so that no captured knock works twice. Check the clock (nftknock doctor).");

    /// <summary>Without a record of served windows, a door's windows all lie at or before what could have been served before the boot.</summary>
    public static string BootBehind(string door, DateTimeOffset booted, long served, DateTimeOffset resume) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"nftknock: door {door}: with no record of the windows served, window {served} may have been served before the boot at {Stamp(booted)}; its knocks stay unloaded until {Stamp(resume)} so that no knock captured before the boot works again.");

    /// <summary>No record of served windows and a new table: what an earlier table of the same boot served is unknown.</summary>
    public static string ServedUnknown(string path, string table, DateTimeOffset booted) =>
        $"nftknock: no record of served windows in {path} and table inet {table} is new, so the rotating windows served before are unknown: none from before the boot at {Stamp(booted)} is loaded again, but if the table was loaded and removed since that boot, a knock captured in its last two periods may work once more. Keep {Path.GetDirectoryName(path)} on storage that survives restarts (in a container, a volume).";

    /// <summary>The served-windows record cannot be read.</summary>
    public static string ServedUnreadable(string path) =>
        $"nftknock: {path} is not a record of served windows, so it is started afresh. Rotating windows served before it may be written again; check what changed the file.";

    /// <summary>The served-windows record cannot be written.</summary>
    public static string ServedNotSaved(string path, string reason) =>
        $"nftknock: cannot record the served windows in {path}: {reason}. Knocks were written anyway; make the directory writable for root, or a reboot may serve a window twice.";

    /// <summary>A rotating door of the config that the loaded table does not have at all.</summary>
    public static string DoorNotLoaded(string door) =>
        $"nftknock: door {door} is in the config but not in the loaded table, so its knocks are not written yet. Run nftknock apply to load it.";

    /// <summary>Clients of the config whose chains the loaded table does not have yet.</summary>
    public static string ClientsNotLoaded(string door, IReadOnlyList<string> clients) =>
        $"nftknock: door {door}: client{Plural(clients)} {string.Join(", ", clients)} {(clients.Count == 1 ? "is" : "are")} in the config but not loaded yet, so only the loaded clients' knocks are written. Run nftknock apply to load {(clients.Count == 1 ? "it" : "them")}.";

    /// <summary>Clients loaded in the table that the config no longer names.</summary>
    public static string ClientsNoLongerConfigured(string door, IReadOnlyList<string> clients) =>
        $"nftknock: door {door}: client{Plural(clients)} {string.Join(", ", clients)} {(clients.Count == 1 ? "is" : "are")} loaded but no longer in the config, so {(clients.Count == 1 ? "its" : "their")} knocks are no longer written. Run nftknock apply to remove {(clients.Count == 1 ? "it" : "them")} from the table.";

    private static string Plural<T>(IReadOnlyList<T> items) => items.Count == 1 ? string.Empty : "s";
}
