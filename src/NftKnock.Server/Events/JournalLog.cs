using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace NftKnock.Server.Events;

/// <summary>
/// Reads what nftknock-events.service recorded in journald, with <c>journalctl -o json</c> matching its
/// unit and root's uid, with <c>--since=@SECONDS</c> and <c>-f</c> for follow. Whether the caller may read the journal is
/// journalctl's to say (root, or the adm and systemd-journal groups); its warnings reach stderr as it
/// prints them.
/// </summary>
/// <param name="program">The journalctl to run.</param>
public sealed class JournalLog(string program = "journalctl") : IKernelLog
{
    /// <summary>Where journald listens: present while journald runs.</summary>
    public const string Socket = "/run/systemd/journal/socket";

    /// <inheritdoc/>
    public string Name => "journald";

    /// <summary>journalctl's arguments for <paramref name="since"/> and <paramref name="follow"/>.</summary>
    public static IReadOnlyList<string> Arguments(DateTimeOffset? since, bool follow)
    {
        List<string> args = [$"_SYSTEMD_UNIT={KernelRecords.Recorder}", "_UID=0", "-o", "json", "--no-pager", "-q", "--lines=all"];
        if (since is { } from)
        {
            args.Add(string.Create(CultureInfo.InvariantCulture, $"--since=@{from.ToUnixTimeSeconds()}"));
        }

        if (follow)
        {
            args.Add("-f");
        }

        return args;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<KernelRecord> ReadAsync(DateTimeOffset? since, bool follow, [EnumeratorCancellation] CancellationToken cancel)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in Arguments(since, follow))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new KernelLogException(KernelLogFailure.Unavailable, Name, ServerTexts.JournalctlCannotRun(program, e.Message));
        }

        await using var stop = cancel.Register(() => Kill(process));
        while (await ReadLineAsync(process.StandardOutput, cancel) is { } line)
        {
            // journalctl filters on --since to the second; the exact time is filtered here.
            if (KernelRecords.TryParseJournal(line, out var record) && (since is null || record.Time >= since))
            {
                yield return record;
            }
        }

        await process.WaitForExitAsync(CancellationToken.None);
        if (process.ExitCode != 0 && !cancel.IsCancellationRequested)
        {
            throw new KernelLogException(KernelLogFailure.Unavailable, Name, ServerTexts.JournalctlFailed(program, process.ExitCode));
        }
    }

    private static async Task<string?> ReadLineAsync(StreamReader reader, CancellationToken cancel)
    {
        try
        {
            return await reader.ReadLineAsync(cancel);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }
    }
}
