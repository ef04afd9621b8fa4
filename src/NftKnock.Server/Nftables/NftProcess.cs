using System.ComponentModel;
using System.Diagnostics;

namespace NftKnock.Server.Nftables;

/// <summary>The real backend: runs the <c>nft</c> binary, scripts on stdin.</summary>
public sealed class NftProcess(string executable = "nft") : INftables
{
    /// <inheritdoc/>
    public async Task RunAsync(string script, bool checkOnly, CancellationToken cancel = default)
    {
        string[] args = checkOnly ? ["--check", "-f", "-"] : ["-f", "-"];
        var (code, _, stderr) = await ExecAsync(args, script, cancel);
        if (code != 0)
        {
            throw new NftException(Classify(stderr), stderr, script);
        }
    }

    /// <inheritdoc/>
    public Task<string?> ListTableAsync(string table, bool json, CancellationToken cancel = default) =>
        ListAsync(json ? ["-j", "list", "table", "inet", table] : ["list", "table", "inet", table], cancel);

    /// <inheritdoc/>
    public Task<string?> ListTableStructureAsync(string table, CancellationToken cancel = default) =>
        ListAsync(["-t", "-j", "list", "table", "inet", table], cancel);

    /// <inheritdoc/>
    /// <remarks>
    /// nft 1.0.6 fetches every table's rules and elements for <c>list tables</c>, <c>list sets</c> and
    /// <c>list counters</c>, even filtered to one table, but only chains for <c>list chains</c> and only the
    /// one set for <c>list set</c> and <c>list map</c>: at 1,000 rotating clients the difference between
    /// about a second and a few milliseconds. One process runs them all; names are validated object names.
    /// </remarks>
    public Task<string?> ListOutlineAsync(string table, IReadOnlyList<(string Keyword, string Name)> objects, CancellationToken cancel = default) =>
        ListAsync(["-t", "-j", string.Join("; ", ["list chains inet", .. objects.Select(o => $"list {o.Keyword} inet {table} {o.Name}")])], cancel);

    /// <inheritdoc/>
    public async Task<ReadOnlyMemory<byte>?> ListTableJsonUtf8Async(string table, CancellationToken cancel = default)
    {
        var (code, stdout, stderr) = await ExecAsync(["-j", "list", "table", "inet", table], null, cancel, ReadBytesAsync);
        return Listed(code, stderr) ? stdout : null;
    }

    private async Task<string?> ListAsync(string[] args, CancellationToken cancel)
    {
        var (code, stdout, stderr) = await ExecAsync(args, null, cancel);
        return Listed(code, stderr) ? stdout : null;
    }

    /// <summary>Whether a listing succeeded; false when the table is missing.</summary>
    /// <exception cref="NftException">nft failed for another reason.</exception>
    private static bool Listed(int code, string stderr) =>
        code == 0
        || (stderr.Contains("No such file or directory", StringComparison.Ordinal)
            ? false
            : throw new NftException(Classify(stderr), stderr, null));

    /// <inheritdoc/>
    public async Task<string> VersionAsync(CancellationToken cancel = default)
    {
        var (code, stdout, stderr) = await ExecAsync(["--version"], null, cancel);
        return code == 0 ? stdout.Trim() : throw new NftException(Classify(stderr), stderr, null);
    }

    /// <inheritdoc/>
    public async Task<string> ListRulesetAsync(CancellationToken cancel = default)
    {
        var (code, stdout, stderr) = await ExecAsync(["-j", "list", "ruleset"], null, cancel);
        return code == 0 ? stdout : throw new NftException(Classify(stderr), stderr, null);
    }

    private static NftFailureKind Classify(string stderr) =>
        stderr.Contains("Operation not permitted", StringComparison.Ordinal) ? NftFailureKind.PermissionDenied : NftFailureKind.Refused;

    private Task<Finished<string>> ExecAsync(string[] args, string? stdin, CancellationToken cancel) =>
        ExecAsync(args, stdin, cancel, static (output, cancel) => output.ReadToEndAsync(cancel));

    /// <summary>
    /// nft's whole standard output as bytes, read by one blocking loop on one thread (no hop through the
    /// thread pool per 64 KiB the pipe hands over) into a buffer that is not zeroed, so only the pages
    /// nft fills are ever touched: a busy door's listing runs to megabytes, and on a virtual machine
    /// page faults cost status more than reading the listing does.
    /// </summary>
    private static Task<ReadOnlyMemory<byte>> ReadBytesAsync(StreamReader output, CancellationToken cancel) =>
        Task.Factory.StartNew(
            () => ReadAll(output.BaseStream, cancel), cancel, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static ReadOnlyMemory<byte> ReadAll(Stream stream, CancellationToken cancel)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(ListingBuffer);
        var used = 0;
        int read;
        while ((read = stream.Read(buffer, used, buffer.Length - used)) > 0)
        {
            cancel.ThrowIfCancellationRequested();
            used += read;
            if (used == buffer.Length)
            {
                var larger = GC.AllocateUninitializedArray<byte>(buffer.Length * 2);
                buffer.AsSpan(0, used).CopyTo(larger);
                buffer = larger;
            }
        }

        return buffer.AsMemory(0, used);
    }

    /// <summary>
    /// The first buffer for a listing: room for 65,536 grants (4.6 MB) and more without a copy. Pages
    /// never written cost address space, not memory.
    /// </summary>
    private const int ListingBuffer = 16 << 20;

    private async Task<Finished<T>> ExecAsync<T>(
        string[] args, string? stdin, CancellationToken cancel, Func<StreamReader, CancellationToken, Task<T>> readOutput)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new NftException(NftFailureKind.NotInstalled, "nft did not start", stdin);
        }
        catch (Win32Exception e)
        {
            throw new NftException(NftFailureKind.NotInstalled, e.Message, stdin);
        }

        using (process)
        {
            var stdout = readOutput(process.StandardOutput, cancel);
            var stderr = process.StandardError.ReadToEndAsync(cancel);
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), cancel);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(cancel);
            return new Finished<T>(process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary>
    /// How nft ended. A class, not a tuple: an async method returning a tuple needs generic code
    /// that is compiled at run time, at every start.
    /// </summary>
    private sealed record Finished<T>(int Code, T Stdout, string Stderr);
}
