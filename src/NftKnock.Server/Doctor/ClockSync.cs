using NftKnock.Core.Model;
using NftKnock.Server.Host;

namespace NftKnock.Server.Doctor;

/// <summary>Rotating doors derive knocks from the clock: client and server must agree within one period.</summary>
public static class ClockSync
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
}
