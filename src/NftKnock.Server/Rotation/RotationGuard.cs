using NftKnock.Core.Model;
using NftKnock.Core.Rotating;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Host;

namespace NftKnock.Server.Rotation;

/// <summary>
/// Keeps rotate and apply from writing a rotating window twice when the table's claims may no
/// longer cover it (a reboot, a recreated table or claims set, a wall clock that stepped back): the
/// windows served are kept per door in <c>/var/lib/nftknock/&lt;table&gt;.served</c>, which survives a reboot.
/// </summary>
public sealed class RotationGuard
{
    private readonly RotationHost host;
    private readonly string table;
    private readonly IReadOnlyList<Door> doors;
    private readonly ServedWindows? served;
    private readonly long monotonicMs;
    private readonly DateTimeOffset now;

    private RotationGuard(RotationHost host, string table, IReadOnlyList<Door> doors, DateTimeOffset now)
    {
        this.host = host;
        this.table = table;
        this.doors = doors;
        this.now = now;
        monotonicMs = host.MonotonicMs;
        served = Read(host, table, report: true);
    }

    /// <summary>The oldest window each door may write now.</summary>
    public IReadOnlyDictionary<string, long> Floors { get; private set; } = new Dictionary<string, long>();

    /// <summary>Whether a record of served windows was there to read: without it, what was served before is unknown.</summary>
    public bool Known => served is not null;

    /// <summary>
    /// Works out what may be written at <paramref name="now"/> into the table whose handle is
    /// <paramref name="handle"/> (null: its sets start empty, as for a table about to be created), and
    /// says so for each door whose windows all lie behind what was served. A door is continuous, and may
    /// write its last windows again, only while its own record matches this table and
    /// <paramref name="claimsKept"/> says its claims sets were there before (default: all kept).
    /// </summary>
    public static RotationGuard Plan(RotationHost host, string table, IReadOnlyList<Door> doors, long? handle, DateTimeOffset now, Func<Door, bool>? claimsKept = null)
    {
        var guard = new RotationGuard(host, table, doors, now);
        bool Continuous(Door door) => guard.served is null
            || (handle is { } h && (claimsKept?.Invoke(door) ?? true) && guard.served.Continuous(door.Name, host.BootId, h, now, guard.monotonicMs));
        var floors = doors.ToDictionary(d => d.Name, d => ServedWindows.Floor(guard.served, d, Continuous(d)), StringComparer.Ordinal);
        guard.Floors = floors;
        foreach (var door in doors)
        {
            var current = RotatingDerivation.Window(now, door.Rotating!.Period);
            if (current + 1 < floors[door.Name])
            {
                host.Error.WriteLine(ServerTexts.ClockBehind(door.Name, now, floors[door.Name] - 1, RotatingDerivation.WindowStart(floors[door.Name] - 1, door.Rotating.Period)));
            }
        }

        return guard;
    }

    /// <summary>The batch that writes the doors' windows from their floors on.</summary>
    public string Script() => NftWriter.Fill(table, Fill());

    /// <summary>The rotating map's new contents: the doors' windows from their floors on.</summary>
    public MapFill Fill() => RotationScript.Fill(doors, now, Floors);

    /// <summary>How many knocks <see cref="Fill"/> writes.</summary>
    public int Knocks => doors.Sum(d => RotationScript.Elements(d, now, Floors[d.Name]).Count);

    /// <summary>
    /// The handle the record names for <paramref name="table"/> if it was saved with <paramref name="print"/>
    /// (<see cref="TablePrint"/>): then the loaded table is the one the record saw. Null otherwise.
    /// </summary>
    public static long? HandleFor(RotationHost host, string table, string print) =>
        Read(host, table, report: false) is { } record && record.TablePrint == print ? record.TableHandle : null;

    /// <summary>
    /// Records what <see cref="Script"/> serves, before it is sent: a record ahead of the table only errs on
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
