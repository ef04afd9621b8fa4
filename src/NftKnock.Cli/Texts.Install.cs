namespace NftKnock.Cli;

/// <summary>User-facing lines of install and uninstall.</summary>
internal static partial class Texts
{
    public static string Installed(string path) => $"Installed {path}.";

    public static string KeptConfig(string path) => $"Kept the existing config {path}.";

    public static string WroteSampleConfig(string path) =>
        $"Wrote the sample config {path} (mode 0600, in a 0700 directory) with a random sequence of its own.";

    public static string InstallNext(string config) =>
        $"Next: edit {config}, run nftknock doctor, then nftknock apply --confirm 60s, then systemctl enable nftknock.service.";

    public static string Removed(string path) => $"Removed {path}.";

    public static string PurgedConfig(string dir) => $"Removed {dir} with its configs and secrets.";

    public static string KeptConfigDirectory(string dir) => $"Kept {dir} (configs and secrets); nftknock uninstall --purge removes it.";

    public const string TableStays = "A loaded table stays until the next reboot; nft delete table inet nftknock drops it now.";

    public static string SystemctlFailed(IEnumerable<string> args, string reason) =>
        $"nftknock: systemctl {string.Join(' ', args)} failed: {reason}";
}
