using NftKnock.Core.Model;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Doctor;

/// <summary>
/// Whether <c>nftknock rotate</c> keeps the rotating map current. It writes windows t-1, t and t+1
/// with timeouts of up to two periods, once per period, so while it runs every rotating door has an
/// element with at least about one period left; once it stops they all expire within two periods.
/// </summary>
public static class Rotation
{
    /// <summary>The check's name.</summary>
    public const string Name = ServerTexts.CheckNames.Rotation;

    /// <summary>Checks the loaded table's rotating map (null when the table is absent).</summary>
    public static DoctorCheck Check(ServerConfig config, TableReading? table)
    {
        var doors = config.Doors.Where(d => d.Rotating is not null).ToList();
        if (doors.Count == 0)
        {
            return DoctorCheck.Warn(Name, ServerTexts.NoRotatingDoors, ServerTexts.NoRotatingDoorsFix);
        }

        if (table is null)
        {
            return DoctorCheck.Warn(Name, ServerTexts.RotationNoTable(config.Table), ServerTexts.RotationNoTableFix);
        }

        // Written once per period with up to two periods left, the latest element has about one
        // period left just before the next write; half a period leaves room for a late write. A door
        // the loaded table does not rotate has no knocks at all.
        var stopped = doors
            .Where(door => table.RotatingLeftMs(door.Name) < door.Rotating!.Period.TotalMilliseconds / 2)
            .Select(door => door.Name)
            .ToList();
        return stopped.Count == 0
            ? DoctorCheck.Pass(Name, ServerTexts.RotationOk(doors.Count))
            : DoctorCheck.Fail(Name, ServerTexts.RotationStopped(stopped), ServerTexts.RotationStoppedFix);
    }
}
