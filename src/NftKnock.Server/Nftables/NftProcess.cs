using System.ComponentModel;
using System.Diagnostics;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Nftables;

/// <summary>The real backend: runs the <c>nft</c> binary, scripts on stdin.</summary>
public sealed partial class NftProcess(string executable = "nft") : INftables
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
    /// <remarks>
    /// The listing is read as soon as nft has printed it, while nft is still freeing what it built (a
    /// tenth of its run at 65,536 grants), and kept only if nft then exits with success.
    /// </remarks>
    public async Task<TableReading?> ReadTableJsonAsync(string table, Func<ReadOnlyMemory<byte>, TableReading> read, CancellationToken cancel = default)
    {
        var (code, reading, stderr) = await ExecAsync(
            ["-j", "list", "table", "inet", table], null, cancel, (output, cancel) => ReadListingAsync(output, read, cancel));
        if (!Listed(code, stderr))
        {
            return null;
        }

        return reading.Error is { } error ? throw error : reading.Table;
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
    /// nft's standard output read by one blocking loop on one thread (no hop through the thread pool per
    /// 64 KiB the pipe hands over) into a buffer that is not zeroed, so only the pages nft fills are ever
    /// touched, then read with <paramref name="read"/>. nft prints a JSON listing as one line, so the
    /// listing is whole once the output ends with a newline: it is read then, not when nft exits, and if
    /// that fails, again once nft has closed its output. The rest of the output is drained either way.
    /// </summary>
    private static Task<Listing> ReadListingAsync(StreamReader output, Func<ReadOnlyMemory<byte>, TableReading> read, CancellationToken cancel) =>
        Task.Factory.StartNew(
            () =>
            {
                var stream = output.BaseStream;
                var buffer = GC.AllocateUninitializedArray<byte>(ListingBuffer);
                var used = Fill(stream, ref buffer, 0, untilNewline: true, cancel);
                if (used > 0 && buffer[used - 1] == (byte)'\n')
                {
                    var early = Read(read, buffer.AsMemory(0, used));
                    var rest = Fill(stream, ref buffer, used, untilNewline: false, cancel);
                    if (early.Error is null || rest == used)
                    {
                        return early;
                    }

                    used = rest;
                }

                return Read(read, buffer.AsMemory(0, used));
            },
            cancel,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    /// <summary>Reads into <paramref name="buffer"/> from <paramref name="used"/> to the end of the output, or to a read that ends with a newline.</summary>
    private static int Fill(Stream stream, ref byte[] buffer, int used, bool untilNewline, CancellationToken cancel)
    {
        while (true)
        {
            if (used == buffer.Length)
            {
                var larger = GC.AllocateUninitializedArray<byte>(buffer.Length * 2);
                buffer.AsSpan(0, used).CopyTo(larger);
                buffer = larger;
            }

            var read = stream.Read(buffer, used, buffer.Length - used);
            if (read == 0)
            {
                return used;
            }

            cancel.ThrowIfCancellationRequested();
            used += read;
            if (untilNewline && buffer[used - 1] == (byte)'\n')
            {
                return used;
            }
        }
    }

    private static Listing Read(Func<ReadOnlyMemory<byte>, TableReading> read, ReadOnlyMemory<byte> json)
    {
        try
        {
            return new Listing(read(json), null);
        }
        catch (FormatException e)
        {
            return new Listing(null, e);
        }
    }

    /// <summary>A listing read, or why it could not be; the error is thrown only when nft succeeded.</summary>
    private sealed record Listing(TableReading? Table, FormatException? Error);

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
