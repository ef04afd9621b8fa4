using NftKnock.Server.Status;

namespace NftKnock.Server.Doctor;

/// <summary>How a doctor check came out.</summary>
public enum CheckStatus
{
    /// <summary>Fine.</summary>
    Pass,

    /// <summary>Works, but worth a look.</summary>
    Warn,

    /// <summary>nftknock cannot do its job until this is fixed.</summary>
    Fail,
}

/// <summary>One finding: what was checked, what was found, and how to fix it when it is not a pass.</summary>
public sealed record DoctorCheck(string Name, CheckStatus Status, string Detail, string? Fix = null)
{
    /// <summary>A passing check.</summary>
    public static DoctorCheck Pass(string name, string detail) => new(name, CheckStatus.Pass, detail);

    /// <summary>A warning with its fix.</summary>
    public static DoctorCheck Warn(string name, string detail, string fix) => new(name, CheckStatus.Warn, detail, fix);

    /// <summary>A failure with its fix.</summary>
    public static DoctorCheck Fail(string name, string detail, string fix) => new(name, CheckStatus.Fail, detail, fix);

    /// <summary>The version of the <c>doctor --json</c> document: raised when a field changes meaning or goes away, not when one is added.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The checks as one JSON document: <c>{"schemaVersion":1,"checks":[{name,status,detail,fix}],"pass":n,"warn":n,"fail":n}</c>.</summary>
    public static string ToJson(IReadOnlyList<DoctorCheck> checks)
    {
        return JsonOutput.Write(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", SchemaVersion);
            w.WriteStartArray("checks");
            foreach (var check in checks)
            {
                w.WriteStartObject();
                w.WriteString("name", check.Name);
                w.WriteString("status", check.Status.ToString().ToLowerInvariant());
                w.WriteString("detail", check.Detail);
                if (check.Fix is null)
                {
                    w.WriteNull("fix");
                }
                else
                {
                    w.WriteString("fix", check.Fix);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            foreach (var status in Enum.GetValues<CheckStatus>())
            {
                w.WriteNumber(status.ToString().ToLowerInvariant(), checks.Count(c => c.Status == status));
            }

            w.WriteEndObject();
        });
    }
}
