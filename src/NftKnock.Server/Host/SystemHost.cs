namespace NftKnock.Server.Host;

/// <summary>The real host: <c>/proc/net</c>, <c>ntp_adjtime</c>, and statx through <see cref="SecretFileSafety"/>.</summary>
/// <param name="procNet">Where the socket tables are, normally <c>/proc/net</c>.</param>
/// <param name="clock">How to read the clock state; <see cref="KernelClock.Read"/> when null.</param>
public sealed class SystemHost(string procNet = "/proc/net", Func<ClockState>? clock = null) : IHostProbe
{
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
}
