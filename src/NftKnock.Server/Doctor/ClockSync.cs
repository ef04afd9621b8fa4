using NftKnock.Core.Model;
using NftKnock.Server.Host;

namespace NftKnock.Server.Doctor;

/// <summary>Rotating doors derive knocks from the clock: client and server must agree within one period.</summary>
public static class ClockSync
{
    /// <summary>The check's name.</summary>
    public const string Name = ServerTexts.CheckNames.ClockSync;

    /// <summary>Checks the clock when a door rotates; otherwise says it does not apply.</summary>
    public static DoctorCheck Check(ServerConfig? config, Func<ClockState> read)
    {
        var rotating = config?.Doors.Where(d => d.Rotating is not null).Select(d => d.Name).ToList() ?? [];
        if (rotating.Count == 0)
        {
            return DoctorCheck.Warn(Name, ServerTexts.NoRotatingDoors, ServerTexts.NoRotatingDoorsFix);
        }

        return read() switch
        {
            ClockState.Synchronised => DoctorCheck.Pass(Name, ServerTexts.ClockOk),
            ClockState.Unsynchronised => DoctorCheck.Fail(Name, ServerTexts.ClockUnsynchronised(rotating), ServerTexts.ClockUnsynchronisedFix),
            _ => DoctorCheck.Warn(Name, ServerTexts.ClockUnknown, ServerTexts.ClockUnknownFix),
        };
    }
}
