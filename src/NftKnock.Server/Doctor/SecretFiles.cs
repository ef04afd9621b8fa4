using NftKnock.Server.Host;

namespace NftKnock.Server.Doctor;

/// <summary>Secret files must be safe by the rule that check, apply and rotate use: <see cref="SecretFileSafety"/>.</summary>
public static class SecretFiles
{
    /// <summary>The check's name.</summary>
    public const string Name = "secret files";

    /// <summary>One check over every path: fails on a missing or unsafe file.</summary>
    public static DoctorCheck Check(IReadOnlyList<string> paths, IHostProbe host)
    {
        if (paths.Count == 0)
        {
            return DoctorCheck.Pass(Name, "the config names no secret files");
        }

        if (!host.ChecksFileModes)
        {
            return DoctorCheck.Warn(Name, "file modes cannot be checked on Windows", "Run nftknock doctor on the Linux server.");
        }

        var files = paths.Select(p => (Path: p, State: host.SecretFile(p))).ToList();
        var missing = files.Where(f => !f.State.Exists).Select(f => f.Path).ToList();
        if (missing.Count > 0)
        {
            return DoctorCheck.Fail(Name, $"missing: {string.Join(", ", missing)}", "Create the secret (nftknock init --rotating) or fix the path in the config.");
        }

        var unsafeFiles = files.Select(f => (f.Path, f.State.Problem)).Where(p => p.Problem is not null).ToList();
        if (unsafeFiles.Count > 0)
        {
            var named = string.Join(' ', unsafeFiles.Select(p => p.Path));
            return DoctorCheck.Fail(
                Name,
                $"not safe: {string.Join("; ", unsafeFiles.Select(p => $"{p.Path}: {p.Problem}"))}",
                $"chown root:root {named}; chmod 600 {named}; keep them as regular files in a directory only root can write (like /etc/nftknock); then make new secrets, since the old ones may have been read.");
        }

        return DoctorCheck.Pass(Name, $"{paths.Count} secret file(s), owner-only (0600)");
    }
}
