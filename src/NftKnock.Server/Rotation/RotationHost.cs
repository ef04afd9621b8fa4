using NftKnock.Server.Host;

namespace NftKnock.Server.Rotation;

/// <summary>
/// What rotation reaches outside the table through: where diagnostics go, the clock, the directory
/// the served windows are kept in, the kernel's boot id and how long ago it booted (a reboot empties
/// every set, claims included).
/// </summary>
/// <param name="Error">Diagnostics (stderr).</param>
/// <param name="Time">The clock.</param>
/// <param name="StateDirectory">Where <c>&lt;table&gt;.served</c> lives.</param>
/// <param name="BootId">The kernel's boot id, read once per operation.</param>
/// <param name="Describe">Words for why a file could not be written.</param>
public sealed record RotationHost(TextWriter Error, TimeProvider Time, string StateDirectory, string BootId, Func<Exception, string> Describe)
{
    /// <summary>The variable that moves the state directory (tests, containers with a volume elsewhere).</summary>
    public const string DirectoryVariable = "NFTKNOCK_STATE_DIR";

    /// <summary>Where the served windows are kept by default: it survives a reboot.</summary>
    public const string DefaultDirectory = "/var/lib/nftknock";

    /// <summary>Time since the kernel booted (<c>CLOCK_BOOTTIME</c>), read at each use: a running rotate outlives many reads.</summary>
    public Func<TimeSpan> SinceBoot { get; init; } = KernelClock.SinceBoot;

    /// <summary>When the kernel booted, by the wall clock at <paramref name="now"/>.</summary>
    public DateTimeOffset BootedAt(DateTimeOffset now) => now - SinceBoot();

    /// <summary>The monotonic clock in milliseconds, which a step of the wall clock never moves.</summary>
    public long MonotonicMs => (long)Time.GetElapsedTime(0, Time.GetTimestamp()).TotalMilliseconds;
}
