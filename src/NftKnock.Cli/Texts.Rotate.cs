using System.Globalization;

namespace NftKnock.Cli;

/// <summary>User-facing sentences of rotate, init and apply's rotating lines.</summary>
internal static partial class Texts
{
    public static string AfterApply(IReadOnlyList<string> doors) =>
        $"Rotating door{(doors.Count == 1 ? string.Empty : "s")} {string.Join(", ", doors)}: the current windows' knocks are loaded. Keep nftknock rotate running, or {(doors.Count == 1 ? "it closes" : "they close")} within two periods.";

    public static string NoRotatingDoors(string path) =>
        $"nftknock: {path} has no rotating doors, so there is nothing to rotate. Give a door rotating: instead of sequence:.";

    public static string TableMissing(string table) =>
        $"nftknock: table inet {table} is not loaded, so there is nowhere to write knocks. Run nftknock apply first.";

    public static string Wrote(DateTimeOffset now, IReadOnlyList<string> doors, int knocks, DateTimeOffset next) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{Stamp(now)} rotated {string.Join(", ", doors)}: {knocks} knocks of the previous, current and next windows; next rotation at {Stamp(next)}.");

    public static string Stopped() => "nftknock: rotation stopped; rotating doors close within two periods.";

    private static string Stamp(DateTimeOffset t) => Server.ServerTexts.Stamp(t);

    public static string InitExists(string path) =>
        $"nftknock: {path} already exists, and init never overwrites. Pass another path with -o (or --secret-file), or move the file away.";

    public static string InitCannotWrite(string path, string reason) =>
        $"nftknock: cannot write {path}: {reason}. Run init with sudo, or pass a path you can write with -o.";

    public static string InitSecretExposed(string path) =>
        $"nftknock: {path} would be readable by other users (the file system ignores file modes), so it was removed. Write the secret on a file system with Unix permissions, like /etc/nftknock.";

    public static string InitNeedsUnix() =>
        "nftknock: init --rotating writes a secret file with Unix permissions and runs on the Linux server. Run it there.";

    public static string HostQualifiedName(string name) =>
        $"nftknock: the client profile names this server {name}, its fully qualified name. If clients reach it by another name, pass --host NAME.";

    public static string HostShortName(string name) =>
        $"nftknock: the client profile names this server {name}, its short host name (the resolver knows no fully qualified name for it). Clients elsewhere may not resolve it: pass --host NAME with the name they reach it by.";

    public static string InitWroteStatic(string path) =>
        $"Wrote {path} with a fresh random sequence. Load it with: sudo nftknock apply -c {path}\nPaste this profile into the client's client.yaml (keep it private: the sequence is the key):";

    public static string InitWroteRotating(string path, string secret) =>
        $"Wrote {path} and the secret {secret} (mode 0600). Load it with: sudo nftknock apply -c {path}, and keep the knocks current with: {(path == Core.Model.ServerConfig.DefaultPath ? "sudo systemctl enable --now nftknock-rotate.service" : $"sudo nftknock rotate -c {path} (kept running)")}.\nPaste this profile into the client's client.yaml (keep it private: the secret is the key):";
}
