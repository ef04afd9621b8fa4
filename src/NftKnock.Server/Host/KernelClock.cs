using System.Runtime.InteropServices;

namespace NftKnock.Server.Host;

/// <summary>Asks the kernel whether something keeps the clock in step, and how long ago it booted.</summary>
public static partial class KernelClock
{
    private const int TimeError = 5;
    private const int ClockBoottime = 7;

    /// <summary>Asks with <c>ntp_adjtime</c> (read only: modes = 0).</summary>
    public static ClockState Read()
    {
        if (!OperatingSystem.IsLinux())
        {
            return ClockState.Unknown;
        }

        // struct timex is 208 bytes on 64-bit Linux; a zeroed, larger buffer means modes = 0.
        var timex = new byte[256];
        try
        {
            var state = NtpAdjtime(timex);
            return state switch
            {
                < 0 => ClockState.Unknown,
                TimeError => ClockState.Unsynchronised,
                _ => ClockState.Synchronised,
            };
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return ClockState.Unknown;
        }
    }

    /// <summary>
    /// Time since the kernel booted, suspend included (<c>CLOCK_BOOTTIME</c>, as <c>/proc/uptime</c> counts it).
    /// Zero where it cannot be read: a boot just now is the strict side for rotating doors.
    /// </summary>
    public static TimeSpan SinceBoot()
    {
        if (!OperatingSystem.IsLinux())
        {
            return TimeSpan.Zero;
        }

        // struct timespec on 64-bit Linux: seconds, then nanoseconds.
        var timespec = new long[2];
        try
        {
            return ClockGettime(ClockBoottime, timespec) == 0
                ? TimeSpan.FromSeconds(timespec[0]) + TimeSpan.FromTicks(timespec[1] / 100)
                : TimeSpan.Zero;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return TimeSpan.Zero;
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGettime(int clock, [In, Out] long[] timespec);

    [LibraryImport("libc", EntryPoint = "ntp_adjtime", SetLastError = true)]
    private static partial int NtpAdjtime([In, Out] byte[] timex);
}
