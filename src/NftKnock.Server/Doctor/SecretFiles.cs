using NftKnock.Server.Host;

namespace NftKnock.Server.Doctor;

/// <summary>Secret files must be safe by the rule that check, apply and rotate use: <see cref="SecretFileSafety"/>.</summary>
public static class SecretFiles
{
    /// <summary>The check's name.</summary>
    public const string Name = ServerTexts.CheckNames.SecretFiles;

    /// <summary>One check over every path: fails on a missing or unsafe file.</summary>
    public static DoctorCheck Check(IReadOnlyList<string> paths, IHostProbe host)
    {
        if (paths.Count == 0)
        {
            return DoctorCheck.Pass(Name, ServerTexts.NoSecretFiles);
        }

        if (!host.ChecksFileModes)
        {
            return DoctorCheck.Warn(Name, ServerTexts.ModesUnchecked, ServerTexts.ModesUncheckedFix);
        }

        var files = paths.Select(p => (Path: p, State: host.SecretFile(p))).ToList();
        var missing = files.Where(f => !f.State.Exists).Select(f => f.Path).ToList();
        if (missing.Count > 0)
        {
            return DoctorCheck.Fail(Name, ServerTexts.SecretsMissing(missing), ServerTexts.SecretsMissingFix);
        }

        var unsafeFiles = files.Select(f => (f.Path, f.State.Problem)).Where(p => p.Problem is not null).ToList();
        if (unsafeFiles.Count > 0)
        {
            var named = string.Join(' ', unsafeFiles.Select(p => p.Path));
            return DoctorCheck.Fail(
                Name,
                ServerTexts.SecretsUnsafe(unsafeFiles),
                ServerTexts.SecretsUnsafeFix(named));
        }

        return DoctorCheck.Pass(Name, ServerTexts.SecretsOk(paths.Count));
    }
}
