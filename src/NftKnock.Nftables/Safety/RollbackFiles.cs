using System.Globalization;

namespace NftKnock.Nftables.Safety;

/// <summary>
/// The files one table's pending apply keeps in the run directory (<c>/run/nftknock</c>, a tmpfs,
/// so nothing pending survives a reboot, which restores the boot-time ruleset anyway).
/// </summary>
public sealed class RollbackFiles(string runDirectory, string table)
{
    /// <summary>The default run directory.</summary>
    public const string DefaultDirectory = "/run/nftknock";

    /// <summary>The environment variable that moves the run directory (tests, unusual hosts).</summary>
    public const string DirectoryVariable = "NFTKNOCK_RUN_DIR";

    /// <summary>The run directory.</summary>
    public string Directory { get; } = runDirectory;

    /// <summary>The table these files belong to.</summary>
    public string Table { get; } = table;

    /// <summary>The pending apply: snapshot, token and deadline.</summary>
    public string Pending => Path.Combine(Directory, $"{Table}.pending");

    /// <summary>A confirmation or an early restore, written by the applier or <c>nftknock confirm</c>.</summary>
    public string Decision => Path.Combine(Directory, $"{Table}.decision");

    /// <summary>The watcher's process id.</summary>
    public string Watcher => Path.Combine(Directory, $"{Table}.watcher");

    /// <summary>One line saying how the last pending apply ended.</summary>
    public string Outcome => Path.Combine(Directory, $"{Table}.outcome");

    /// <summary>Creates the run directory, readable by root only.</summary>
    public void EnsureDirectory()
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Writes a file whole, so a reader never sees half of it.</summary>
    public static void WriteAtomic(string path, string text)
    {
        var temp = path + ".tmp" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The pending apply, or null when none is waiting.</summary>
    public PendingApply? ReadPending()
    {
        try
        {
            return PendingApply.FromJson(File.ReadAllText(Pending));
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The decision for <paramref name="token"/>, or null when there is none yet.</summary>
    public Decision? ReadDecision(string token)
    {
        try
        {
            return Safety.Decision.Parse(File.ReadAllText(Decision)) is { } d && d.Token == token ? d : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>True while the watcher that owns the pending apply is alive.</summary>
    public bool WatcherAlive()
    {
        try
        {
            var pid = int.Parse(File.ReadAllText(Watcher).Trim(), CultureInfo.InvariantCulture);
            return System.IO.Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return false;
        }
    }

    /// <summary>The outcome line of the last pending apply, or null.</summary>
    public string? ReadOutcome()
    {
        try
        {
            return File.ReadAllText(Outcome).Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Removes the pending apply's files (not the outcome).</summary>
    public void Clear()
    {
        foreach (var path in new[] { Pending, Decision, Watcher })
        {
            File.Delete(path);
        }
    }
}
