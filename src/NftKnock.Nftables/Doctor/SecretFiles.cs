namespace NftKnock.Nftables.Doctor;

/// <summary>Secret files must be readable by their owner (root) only.</summary>
public static class SecretFiles
{
    /// <summary>The check's name.</summary>
    public const string Name = "secret files";

    private const UnixFileMode Group = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute;
    private const UnixFileMode Other = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>One check over every path: fails on a missing or world-accessible file, warns on group access.</summary>
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

        var missing = paths.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            return DoctorCheck.Fail(Name, $"missing: {string.Join(", ", missing)}", "Create the secret (nftknock init --rotating) or fix the path in the config.");
        }

        var modes = paths.ToDictionary(p => p, File.GetUnixFileMode);
        var world = paths.Where(p => (modes[p] & Other) != 0).ToList();
        if (world.Count > 0)
        {
            return DoctorCheck.Fail(Name, $"readable or writable by every user: {string.Join(", ", world)}", $"chmod 600 {string.Join(' ', world)}; then make new secrets, since the old ones may have been read.");
        }

        var group = paths.Where(p => (modes[p] & Group) != 0).ToList();
        return group.Count > 0
            ? DoctorCheck.Warn(Name, $"open to the file's group: {string.Join(", ", group)}", $"chmod 600 {string.Join(' ', group)}")
            : DoctorCheck.Pass(Name, $"{paths.Count} secret file(s), owner-only (0600)");
    }
}
