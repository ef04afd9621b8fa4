using NftKnock.Core.Model;
using NftKnock.Core.Rotating;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Host;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Rotation;

/// <summary>
/// Keeps rotate and apply from writing a rotating window twice when the table's claims may no
/// longer cover it (a reboot, a recreated table or claims set, a wall clock that stepped back): the
/// windows served are kept per door in <c>/var/lib/nftknock/&lt;table&gt;.served</c>, which survives a reboot.
/// Without that record, what the loaded table holds and the boot time stand in for it.
/// </summary>
public sealed class RotationGuard
{
    private readonly RotationHost host;
    private readonly string table;
    private readonly IReadOnlyList<Door> doors;
    private readonly bool recorded;
    private readonly long monotonicMs;
    private readonly DateTimeOffset now;

    // The record read from disk or, when it is lost, one made from what the loaded table shows was served.
    private ServedWindows? served;

    // What Fill() derived for the current Floors; Decide clears it.
    private MapFill? fill;

    private RotationGuard(RotationHost host, string table, IReadOnlyList<Door> doors, DateTimeOffset now)
    {
        this.host = host;
        this.table = table;
        this.doors = doors;
        this.now = now;
        monotonicMs = host.MonotonicMs;
        served = Read(host, table, report: true);
        recorded = served is not null;
    }

    /// <summary>The oldest window each door may write now.</summary>
    public IReadOnlyDictionary<string, long> Floors { get; private set; } = new Dictionary<string, long>();

    /// <summary>
    /// Whether a record of served windows was there to read. Without it, deciding needs the table read with its
    /// elements (<see cref="Decide"/>'s <c>loaded</c>): its map and claims say which windows it served.
    /// </summary>
    public bool Known => recorded;

    /// <summary>Reads the record of served windows of <paramref name="table"/>, to <see cref="Decide"/> what <paramref name="doors"/> may write at <paramref name="now"/>.</summary>
    public static RotationGuard Open(RotationHost host, string table, IReadOnlyList<Door> doors, DateTimeOffset now) => new(host, table, doors, now);

    /// <summary>Reads the record and decides at once (see <see cref="Decide"/>).</summary>
    public static RotationGuard Plan(RotationHost host, string table, IReadOnlyList<Door> doors, long? handle, DateTimeOffset now, Func<Door, bool>? claimsKept = null, TableReading? loaded = null) =>
        Open(host, table, doors, now).Decide(handle, claimsKept, loaded);

    /// <summary>
    /// Works out what may be written into the table whose handle is <paramref name="handle"/> (null: its sets
    /// start empty, as for a table about to be created or recreated), and says so for each door whose windows
    /// all lie behind what was served. A door is continuous, and may write its last windows again, only while
    /// <paramref name="claimsKept"/> says its claims sets were there before (default: all kept) and its own
    /// record matches this table. Without a record, <paramref name="loaded"/> is the table as it is now, read
    /// with its elements (null when there is none): a door whose claims are kept is continuous, except for
    /// windows that could have been served before the boot; any other door writes only windows after those the
    /// loaded table shows and after the boot's.
    /// </summary>
    public RotationGuard Decide(long? handle, Func<Door, bool>? claimsKept = null, TableReading? loaded = null)
    {
        bool Kept(Door door) => handle is not null && (claimsKept?.Invoke(door) ?? true);
        var booted = host.BootedAt(now);
        fill = null;
        Floors = recorded
            ? doors.ToDictionary(d => d.Name, d => ServedWindows.Floor(served, d, Kept(d) && served!.Continuous(d.Name, host.BootId, handle!.Value, now, monotonicMs)), StringComparer.Ordinal)
            : Unrecorded(Kept, booted, loaded);
        foreach (var door in doors)
        {
            var period = door.Rotating!.Period;
            var floor = Floors[door.Name];
            if (RotatingDerivation.Window(now, period) + 1 < floor)
            {
                var resume = RotatingDerivation.WindowStart(floor - 1, period);
                host.Error.WriteLine(!recorded && floor == BootFloor(booted, period)
                    ? ServerTexts.BootBehind(door.Name, booted, floor - 1, resume)
                    : ServerTexts.ClockBehind(door.Name, now, floor - 1, resume));
            }
        }

        return this;
    }

    /// <summary>The rotating map's new contents: the doors' windows from their floors on, derived once per decision.</summary>
    public MapFill Fill() => fill ??= RotationScript.Fill(doors, now, Floors);

    /// <summary>How many knocks <see cref="Fill"/> writes.</summary>
    public int Knocks => Fill().Entries.Count;

    /// <summary>
    /// The handle the record names for <paramref name="table"/> if it was saved with <paramref name="print"/>
    /// (<see cref="TablePrint"/>): then the loaded table is the one the record saw. Null otherwise.
    /// </summary>
    public static long? HandleFor(RotationHost host, string table, string print) =>
        Read(host, table, report: false) is { } record && record.TablePrint == print ? record.TableHandle : null;

    /// <summary>
    /// Records what <see cref="Fill"/> serves, before it is sent: a record ahead of the table only errs on
    /// the safe side. <paramref name="print"/> is the table's <see cref="TablePrint"/>, when known.
    /// </summary>
    public void Save(long handle, string? print = null)
    {
        var path = PathFor(host, table);
        var next = ServedWindows.After(served, host.BootId, handle, now, monotonicMs, doors, Floors) with { TablePrint = print };
        try
        {
            PrivateDirectory.Ensure(Path.GetDirectoryName(path)!);

            // Written whole and flushed to disk before the rename, so a crash or power loss leaves the old record or the new one.
            PrivateDirectory.WriteAtomic(path, next.ToText(), flushToDisk: true);
        }
        catch (UnsafeDirectoryException e)
        {
            host.Error.WriteLine(ServerTexts.ServedNotSaved(path, $"its directory {e.Path} is not safe ({e.Problem})"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            host.Error.WriteLine(ServerTexts.ServedNotSaved(path, host.Describe(e)));
        }
    }

    /// <summary>
    /// The floors without a record. Windows served before the boot are at most the boot's window + 1 (rotate
    /// writes one ahead, and a reboot empties every set), so none of them is written again; a table loaded
    /// since the boot cannot hold their claims. Whatever the loaded table shows was served becomes the newest
    /// window served, so a door whose claims go (a recreated table or claims set) writes only windows after it.
    /// </summary>
    private Dictionary<string, long> Unrecorded(Func<Door, bool> kept, DateTimeOffset booted, TableReading? loaded)
    {
        var floors = new Dictionary<string, long>(StringComparer.Ordinal);
        var shown = new Dictionary<string, DoorWindows>(StringComparer.Ordinal);
        foreach (var door in doors)
        {
            var period = door.Rotating!.Period;
            var newest = loaded is null ? null : LoadedWindows.Newest(loaded, door, now);
            var floor = kept(door) || newest is null ? BootFloor(booted, period) : Math.Max(BootFloor(booted, period), newest.Value + 1);
            floors[door.Name] = floor;
            if (newest is { } n)
            {
                shown[door.Name] = new DoorWindows(period, n, floor);
            }
        }

        served = shown.Count == 0 ? null : new ServedWindows(host.BootId, 0, now, monotonicMs, shown);

        // A table loaded and removed since the boot left nothing behind to read: say so once.
        if (loaded is null && doors.Any(d => !kept(d) && floors[d.Name] <= RotatingDerivation.Window(now, d.Rotating!.Period) + 1))
        {
            host.Error.WriteLine(ServerTexts.ServedUnknown(PathFor(host, table), table, booted));
        }

        return floors;
    }

    /// <summary>The oldest window that cannot have been served before the boot at <paramref name="booted"/>.</summary>
    private static long BootFloor(DateTimeOffset booted, TimeSpan period) => RotatingDerivation.Window(booted, period) + 2;

    /// <summary>Where the served windows of <paramref name="table"/> are kept.</summary>
    public static string PathFor(RotationHost host, string table) => Path.Combine(host.StateDirectory, $"{table}.served");

    /// <summary>The record; null when it is missing, unreadable or in an unsafe directory (an unreadable one said on stderr when <paramref name="report"/>).</summary>
    private static ServedWindows? Read(RotationHost host, string table, bool report)
    {
        var path = PathFor(host, table);
        if (PrivateDirectory.Problem(Path.GetDirectoryName(path)!) is not null)
        {
            // Anyone who can write there could plant a record; Save refuses the directory too, and says so.
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ReportUnreadable();
            return null;
        }

        if (ServedWindows.Parse(text) is { } read)
        {
            return read;
        }

        ReportUnreadable();
        return null;

        void ReportUnreadable()
        {
            if (report)
            {
                host.Error.WriteLine(ServerTexts.ServedUnreadable(path));
            }
        }
    }
}
