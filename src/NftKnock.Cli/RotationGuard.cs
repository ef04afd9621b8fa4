using NftKnock.Core.Model;
using NftKnock.Core.Rotating;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Cli;

/// <summary>
/// Keeps rotate and apply from writing a rotating window twice when the table's claims may no
/// longer cover it (a reboot, a recreated table, a wall clock that stepped back): the windows
/// served are kept in <c>/var/lib/nftknock/&lt;table&gt;.served</c>, which survives a reboot.
/// </summary>
internal sealed class RotationGuard
{
    public const string DirectoryVariable = "NFTKNOCK_STATE_DIR";

    public const string DefaultDirectory = "/var/lib/nftknock";

    private readonly CliContext context;
    private readonly string table;
    private readonly IReadOnlyList<Door> doors;
    private readonly ServedWindows? served;
    private readonly string bootId;
    private readonly long monotonicMs;
    private readonly DateTimeOffset now;

    private RotationGuard(CliContext context, string table, IReadOnlyList<Door> doors, DateTimeOffset now)
    {
        this.context = context;
        this.table = table;
        this.doors = doors;
        this.now = now;
        bootId = context.BootId();
        monotonicMs = (long)context.Time.GetElapsedTime(0, context.Time.GetTimestamp()).TotalMilliseconds;
        served = Read();
    }

    /// <summary>The oldest window each door may write now.</summary>
    public IReadOnlyDictionary<string, long> Floors { get; private set; } = new Dictionary<string, long>();

    /// <summary>
    /// Works out what may be written at <paramref name="now"/> into the table whose handle is
    /// <paramref name="handle"/> (null: its sets start empty, as for a table about to be created), and
    /// says so for each door whose windows all lie behind what was served.
    /// </summary>
    public static RotationGuard Plan(CliContext context, string table, IReadOnlyList<Door> doors, long? handle, DateTimeOffset now)
    {
        var guard = new RotationGuard(context, table, doors, now);
        var continuous = guard.served is null || (handle is { } h && guard.served.Continuous(guard.bootId, h, now, guard.monotonicMs));
        var floors = doors.ToDictionary(d => d.Name, d => ServedWindows.Floor(guard.served, d, continuous), StringComparer.Ordinal);
        guard.Floors = floors;
        foreach (var door in doors)
        {
            var current = RotatingDerivation.Window(now, door.Rotating!.Period);
            if (current + 1 < floors[door.Name])
            {
                context.Error.WriteLine(Texts.ClockBehind(door.Name, now, floors[door.Name] - 1, RotatingDerivation.WindowStart(floors[door.Name] - 1, door.Rotating.Period)));
            }
        }

        return guard;
    }

    /// <summary>The batch that writes the doors' windows from their floors on.</summary>
    public string Script() => NftWriter.Fill(table, Fill());

    /// <summary>The rotating map's new contents: the doors' windows from their floors on.</summary>
    public MapFill Fill() => RotationScript.Fill(doors, now, Floors);

    /// <summary>Records what <see cref="Script"/> serves, before it is sent: a record ahead of the table only errs on the safe side.</summary>
    public void Save(long handle)
    {
        var path = PathFor(context, table);
        var next = ServedWindows.After(served, bootId, handle, now, monotonicMs, doors, Floors);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Path.GetDirectoryName(path)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            // Written whole and flushed to disk before the rename, so a crash or power loss leaves the old record or the new one.
            var temp = path + ".tmp";
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                file.Write(System.Text.Encoding.UTF8.GetBytes(next.ToText()));
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine(Texts.ServedNotSaved(path, FileText.Describe(e)));
        }
    }

    public static string PathFor(CliContext context, string table) =>
        Path.Combine(context.Environment(DirectoryVariable) ?? DefaultDirectory, $"{table}.served");

    private ServedWindows? Read()
    {
        var path = PathFor(context, table);
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
            context.Error.WriteLine(Texts.ServedUnreadable(path));
            return null;
        }

        if (ServedWindows.Parse(text) is { } read)
        {
            return read;
        }

        context.Error.WriteLine(Texts.ServedUnreadable(path));
        return null;
    }
}
