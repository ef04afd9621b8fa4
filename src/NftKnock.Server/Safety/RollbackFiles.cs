using System.Globalization;
using NftKnock.Server.Host;

namespace NftKnock.Server.Safety;

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

    /// <summary>
    /// Held open (a shared flock) by every process that watches the pending apply: the applier and
    /// its watcher. It holds the pid of the one that restores at the deadline.
    /// </summary>
    public string Watcher => Path.Combine(Directory, $"{Table}.watcher");

    /// <summary>The lock of every command that changes the table (<see cref="TableLock"/>).</summary>
    public string Lock => Path.Combine(Directory, $"{Table}.lock");

    /// <summary>One line saying how the last pending apply ended.</summary>
    public string Outcome => Path.Combine(Directory, $"{Table}.outcome");

    /// <summary>Creates the run directory, readable by root only, or refuses one that others could write in (<see cref="PrivateDirectory"/>).</summary>
    public void EnsureDirectory() => PrivateDirectory.Ensure(Directory);

    /// <summary>Writes a file whole, so a reader never sees half of it, and never through a planted link.</summary>
    public static void WriteAtomic(string path, string text) => PrivateDirectory.WriteAtomic(path, text);

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

    /// <summary>
    /// Marks the caller as a watcher of the pending apply until disposed; <paramref name="pid"/>, when
    /// given, becomes the pid in the file. The kernel drops the flock when the process dies, however it dies.
    /// </summary>
    public IDisposable Watch(int? pid = null)
    {
        EnsureDirectory();
        FileStream stream;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                stream = new FileStream(Watcher, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                break;
            }
            catch (IOException) when (attempt < 50)
            {
                // Another command's Watched() holds the exclusive probe for an instant.
                Thread.Sleep(20);
            }
        }

        if (pid is { } id)
        {
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.ASCII.GetBytes(id.ToString(CultureInfo.InvariantCulture) + "\n"));
            stream.Flush();
        }

        return stream;
    }

    /// <summary>
    /// True while some process watches the pending apply: the watcher, or the applier that started it
    /// (which takes over when the watcher is killed). False when both are gone: the apply is orphaned.
    /// </summary>
    public bool Watched()
    {
        try
        {
            // An exclusive flock succeeds only when nobody holds the shared one.
            using var probe = new FileStream(Watcher, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
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
