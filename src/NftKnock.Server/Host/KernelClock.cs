using System.Runtime.InteropServices;

namespace NftKnock.Server.Host;

/// <summary>Asks the kernel whether something keeps the clock in step.</summary>
public static partial class KernelClock
{
    private const int TimeError = 5;

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

    [LibraryImport("libc", EntryPoint = "ntp_adjtime", SetLastError = true)]
    private static partial int NtpAdjtime([In, Out] byte[] timex);
}
