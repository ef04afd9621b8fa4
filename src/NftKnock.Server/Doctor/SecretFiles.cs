using NftKnock.Server.Host;

namespace NftKnock.Server.Doctor;

/// <summary>Secret files must be safe by the rule that check, apply and rotate use: <see cref="SecretFileSafety"/>.</summary>
public static class SecretFiles
{
    /// <summary>The check's name.</summary>
    public const string Name = "secret files";

    /// <summary>One check over every path: fails on a missing or unsafe file.</summary>
    public static DoctorCheck Check(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            return DoctorCheck.Pass(Name, "the config names no secret files");
        }

        if (OperatingSystem.IsWindows())
        {
            return DoctorCheck.Warn(Name, "file modes cannot be checked on Windows", "Run nftknock doctor on the Linux server.");
        }

        var missing = paths.Where(p => !File.Exists(p) && !IsLink(p)).ToList();
        if (missing.Count > 0)
        {
            return DoctorCheck.Fail(Name, $"missing: {string.Join(", ", missing)}", "Create the secret (nftknock init --rotating) or fix the path in the config.");
        }

        var unsafeFiles = paths.Select(p => (Path: p, Problem: SecretFileSafety.Problem(p))).Where(p => p.Problem is not null).ToList();
        if (unsafeFiles.Count > 0)
        {
            var files = string.Join(' ', unsafeFiles.Select(p => p.Path));
            return DoctorCheck.Fail(
                Name,
                $"not safe: {string.Join("; ", unsafeFiles.Select(p => $"{p.Path}: {p.Problem}"))}",
                $"chown root:root {files}; chmod 600 {files}; keep them as regular files in a directory only root can write (like /etc/nftknock); then make new secrets, since the old ones may have been read.");
        }

        return DoctorCheck.Pass(Name, $"{paths.Count} secret file(s), owner-only (0600)");
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;
}
