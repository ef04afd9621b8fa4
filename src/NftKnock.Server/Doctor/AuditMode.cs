using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Status;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Doctor;

/// <summary>Says loudly when the loaded table is in audit mode, which lets through every connection it would refuse.</summary>
public static class AuditMode
{
    /// <summary>The check's name.</summary>
    public const string Name = ServerTexts.CheckNames.Audit;

    /// <summary>
    /// Warns when the loaded table audits (read from the table itself, whatever the config says), with
    /// how many connections enforcing would have refused; passes when it enforces or is not loaded.
    /// </summary>
    public static DoctorCheck Check(ServerConfig config, TableReading? live)
    {
        if (live is null || !Planner.Audits(live.Model))
        {
            return DoctorCheck.Pass(Name, ServerTexts.Enforcing(live is not null));
        }

        var report = StatusReport.From(live);
        var audited = report.Doors.Sum(d => d.Counters.GetValueOrDefault(CounterKind.Audited.Format()));
        return DoctorCheck.Warn(Name, ServerTexts.Auditing(config.Table, audited), ServerTexts.AuditingFix(config.Audit));
    }
}
