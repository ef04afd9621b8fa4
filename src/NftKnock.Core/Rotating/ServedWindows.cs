using System.Globalization;
using System.Text;
using NftKnock.Core.Model;

namespace NftKnock.Core.Rotating;

/// <summary>One door's served windows: the newest ever loaded, and the oldest that may still be loaded.</summary>
/// <param name="Period">The period the windows were counted in; a new period starts a new count.</param>
/// <param name="Newest">The newest window ever written into the table.</param>
/// <param name="Floor">No window below this one is ever written again.</param>
/// <param name="TableHandle">
/// The handle of the table the door was last written into; null in a record that kept one handle for
/// all doors. Per door, so that adding or changing one door never makes another look recreated.
/// </param>
public sealed record DoorWindows(TimeSpan Period, long Newest, long Floor, long? TableHandle = null);

/// <summary>
/// What rotate and apply remember of one table's rotating doors (kept on disk, so it survives a
/// reboot): the windows served, and what must hold for the table's claims to still cover them.
/// </summary>
/// <param name="BootId">The kernel's boot id when written: a reboot empties every set, claims included.</param>
/// <param name="TableHandle">The table's kernel handle: a recreated table has a new one and no claims.</param>
/// <param name="Wall">The wall clock when written.</param>
/// <param name="MonotonicMs">The monotonic clock when written, to see the wall clock step back.</param>
/// <param name="Doors">Per door.</param>
public sealed record ServedWindows(string BootId, long TableHandle, DateTimeOffset Wall, long MonotonicMs, IReadOnlyDictionary<string, DoorWindows> Doors)
{
    /// <summary>
    /// A digest of the table's chains and their handles when written (see <c>TablePrint</c>): every apply
    /// declares the chains afresh, so while it matches, the table is the one <see cref="TableHandle"/>
    /// names and rotate need not list the whole table to learn its handle. Null when not known.
    /// </summary>
    public string? TablePrint { get; init; }

    /// <summary>A backward step of the wall clock smaller than this is a clock slew, not a step.</summary>
    public static readonly TimeSpan StepTolerance = TimeSpan.FromSeconds(1);

    /// <summary>
    /// True when the table still holds the claims of everything served: same boot, same table, and the
    /// wall clock has not gone back since (by the monotonic clock, which steps never move). Only then may
    /// the windows of the last write be written again; otherwise a captured knock of one of them could
    /// work a second time.
    /// </summary>
    public bool Continuous(string bootId, long tableHandle, DateTimeOffset now, long monotonicMs) =>
        BootId == bootId && TableHandle == tableHandle && monotonicMs >= MonotonicMs
        && now >= Wall + TimeSpan.FromMilliseconds(monotonicMs - MonotonicMs) - StepTolerance;

    /// <summary>
    /// <see cref="Continuous(string, long, DateTimeOffset, long)"/> for one door, against the table handle
    /// that door was last written into. False for a door the record does not know.
    /// </summary>
    public bool Continuous(string door, string bootId, long tableHandle, DateTimeOffset now, long monotonicMs) =>
        Doors.GetValueOrDefault(door) is { } d
        && (this with { TableHandle = d.TableHandle ?? TableHandle }).Continuous(bootId, tableHandle, now, monotonicMs);

    /// <summary>
    /// The oldest window <paramref name="door"/> may load now: the floor of the last write while
    /// <paramref name="continuous"/>, else only windows never served. No limit for a door never served.
    /// </summary>
    public static long Floor(ServedWindows? served, Door door, bool continuous) =>
        served?.Doors.GetValueOrDefault(door.Name) is { } d && d.Period == door.Rotating!.Period
            ? continuous ? d.Floor : d.Newest + 1
            : long.MinValue;

    /// <summary>
    /// The record after writing <paramref name="doors"/> at <paramref name="now"/> with <paramref name="floors"/>:
    /// windows t-1 to t+1 from each floor on. Doors not written keep what they had.
    /// </summary>
    public static ServedWindows After(
        ServedWindows? served, string bootId, long tableHandle, DateTimeOffset now, long monotonicMs,
        IEnumerable<Door> doors, IReadOnlyDictionary<string, long> floors)
    {
        var next = new Dictionary<string, DoorWindows>(served?.Doors ?? new Dictionary<string, DoorWindows>(), StringComparer.Ordinal);
        foreach (var door in doors.Where(d => d.Rotating is not null))
        {
            var period = door.Rotating!.Period;
            var current = RotatingDerivation.Window(now, period);
            var floor = floors.GetValueOrDefault(door.Name, long.MinValue);
            var before = next.GetValueOrDefault(door.Name) is { } d && d.Period == period ? d : null;
            var newest = current + 1 >= floor ? Math.Max(current + 1, before?.Newest ?? long.MinValue) : before?.Newest ?? floor - 1;
            next[door.Name] = new DoorWindows(period, newest, Math.Max(floor, current - 1), tableHandle);
        }

        return new ServedWindows(bootId, tableHandle, now, monotonicMs, next);
    }

    /// <summary>The text kept on disk, one fact per line.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# nftknock: windows served by rotate and apply; never edit while they run\n");
        text.Append(CultureInfo.InvariantCulture, $"boot {BootId}\ntable-handle {TableHandle}\nwall-ms {Wall.ToUnixTimeMilliseconds()}\nmonotonic-ms {MonotonicMs}\n");
        if (TablePrint is { } print)
        {
            text.Append(CultureInfo.InvariantCulture, $"table-print {print}\n");
        }

        foreach (var (door, d) in Doors.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var handle = d.TableHandle is { } h ? $" {h}" : string.Empty;
            text.Append(CultureInfo.InvariantCulture, $"door {door} {(long)d.Period.TotalMilliseconds} {d.Newest} {d.Floor}{handle}\n");
        }

        return text.ToString();
    }

    /// <summary>Reads <see cref="ToText"/>; null when the text is not such a record.</summary>
    public static ServedWindows? Parse(string text)
    {
        string? boot = null, print = null;
        long? handle = null, wall = null, mono = null;
        var doors = new Dictionary<string, DoorWindows>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var words = line.Split(' ');
            switch (words)
            {
                case ["#", ..]:
                    break;
                case ["boot", var b] when b.Length is > 0 and <= 64:
                    boot = b;
                    break;
                case ["table-handle", var h] when Number(h) is { } n:
                    handle = n;
                    break;
                case ["table-print", var p] when p.Length is > 0 and <= 64 && p.All(char.IsAsciiHexDigitLower):
                    print = p;
                    break;
                case ["wall-ms", var w] when Number(w) is { } n && n is >= 0 and <= 253_402_300_799_999:
                    wall = n;
                    break;
                case ["monotonic-ms", var m] when Number(m) is { } n:
                    mono = n;
                    break;
                case ["door", var name, var p, var newest, var floor, .. var rest] when rest.Length <= 1
                    && Number(p) is { } ms && ms is > 0 and <= 86_400_000 && Number(newest) is { } nw && Number(floor) is { } fl && name.Length is > 0 and <= 64:
                    long? own = rest.Length == 1 ? Number(rest[0]) : null;
                    if (rest.Length == 1 && own is null)
                    {
                        return null;
                    }

                    doors[name] = new DoorWindows(TimeSpan.FromMilliseconds(ms), nw, fl, own);
                    break;
                default:
                    return null;
            }
        }

        return boot is null || handle is null || wall is null || mono is null
            ? null
            : new ServedWindows(boot, handle.Value, DateTimeOffset.FromUnixTimeMilliseconds(wall.Value), mono.Value, doors) { TablePrint = print };
    }

    private static long? Number(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
}
