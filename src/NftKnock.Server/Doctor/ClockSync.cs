using System.Runtime.InteropServices;
using NftKnock.Core.Model;

namespace NftKnock.Server.Doctor;

/// <summary>What the kernel says about the system clock.</summary>
public enum ClockState
{
    /// <summary>An NTP daemon keeps the clock in step.</summary>
    Synchronised,

    /// <summary>The kernel reports TIME_ERROR: nothing disciplines the clock.</summary>
    Unsynchronised,

    /// <summary>Not Linux, or the call failed.</summary>
    Unknown,
}

/// <summary>Rotating doors derive knocks from the clock: client and server must agree within one period.</summary>
public static partial class ClockSync
{
    /// <summary>The check's name.</summary>
    public const string Name = "clock sync";

    /// <summary>Checks the clock when a door rotates; otherwise says it does not apply.</summary>
    public static DoctorCheck Check(ServerConfig? config, Func<ClockState> read)
    {
        var rotating = config?.Doors.Where(d => d.Rotating is not null).Select(d => d.Name).ToList() ?? [];
        if (rotating.Count == 0)
        {
            return DoctorCheck.Warn(Name, "not applicable: no rotating doors", "Nothing to do until a door uses rotating:.");
        }

        return read() switch
        {
            ClockState.Synchronised => DoctorCheck.Pass(Name, "the kernel reports the clock synchronised"),
            ClockState.Unsynchronised => DoctorCheck.Fail(Name, $"the clock is not synchronised, so rotating doors ({string.Join(", ", rotating)}) may expect other knocks than clients send", "Enable NTP: apt-get install systemd-timesyncd or chrony."),
            _ => DoctorCheck.Warn(Name, "cannot tell whether the clock is synchronised", "Make sure NTP keeps this clock within one period of the clients' clocks."),
        };
    }

    /// <summary>Asks the kernel with <c>ntp_adjtime</c> (read only: modes = 0).</summary>
    public static ClockState ReadKernel()
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

    private const int TimeError = 5;

    [LibraryImport("libc", EntryPoint = "ntp_adjtime", SetLastError = true)]
    private static partial int NtpAdjtime([In, Out] byte[] timex);
}
