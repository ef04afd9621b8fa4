using System.Diagnostics;

namespace NftKnock.Server.Host;

/// <summary>The real host: <c>/proc/net</c>, <c>ntp_adjtime</c>, statx through <see cref="SecretFileSafety"/>, and iptables-legacy.</summary>
/// <param name="procNet">Where the socket tables are, normally <c>/proc/net</c>.</param>
/// <param name="clock">How to read the clock state; <see cref="KernelClock.Read"/> when null.</param>
/// <param name="proc">Where the namespace links and sysctls are, normally <c>/proc</c>.</param>
public sealed class SystemHost(string procNet = "/proc/net", Func<ClockState>? clock = null, string proc = "/proc") : IHostProbe
{
    /// <inheritdoc/>
    public NetworkNamespaces ReadNetworkNamespaces() =>
        new(Inode(Path.Combine(proc, "self", "ns", "net")), Inode(Path.Combine(proc, "1", "ns", "net")));

    /// <inheritdoc/>
    public string? ReadSysctl(string path)
    {
        try
        {
            return File.ReadAllText(Path.Combine(proc, "sys", path)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The inode in a namespace link's target, <c>net:[4026531833]</c>; null when it cannot be read.</summary>
    private static long? Inode(string link)
    {
        try
        {
            var target = new FileInfo(link).LinkTarget;
            var open = target?.IndexOf('[', StringComparison.Ordinal) ?? -1;
            return open >= 0 && target!.EndsWith(']')
                && long.TryParse(target.AsSpan(open + 1, target.Length - open - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var inode)
                ? inode
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public bool ChecksFileModes => !OperatingSystem.IsWindows();

    /// <inheritdoc/>
    public string? ReadProcNet(string name)
    {
        var path = Path.Combine(procNet, name);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    /// <inheritdoc/>
    public ClockState ReadClock() => (clock ?? KernelClock.Read)();

    /// <inheritdoc/>
    public SecretFileState SecretFile(string path) =>
        File.Exists(path) || new FileInfo(path).LinkTarget is not null
            ? new SecretFileState(true, SecretFileSafety.Problem(path))
            : SecretFileState.Missing;

    /// <inheritdoc/>
    public string? ListLegacyNat(string binary)
    {
        if (new[] { "/usr/sbin", "/sbin", "/usr/bin", "/bin" }.Select(d => Path.Combine(d, binary)).FirstOrDefault(File.Exists) is not { } path)
        {
            return null;
        }

        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-t", "nat", "-S" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new IOException($"{binary} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            process.Kill();
            throw new IOException($"{binary} did not answer within 10 s");
        }

        return process.ExitCode == 0 ? stdout.Result : throw new IOException(stderr.Result.Trim());
    }
}
