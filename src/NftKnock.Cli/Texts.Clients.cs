using NftKnock.Core.Diagnostics;

namespace NftKnock.Cli;

/// <summary>The sentences of client add, list and revoke, and of import.</summary>
internal static partial class Texts
{
    public static string ClientBadName(string name) => Problem(Messages.BadClientName(name).Text);

    public static string ClientExists(string name, string door) =>
        Visible.Escape($"nftknock: the client '{name}' already exists (door {door}). Pick another name, or revoke it first with nftknock client revoke {name}.");

    public static string ClientUnknownDoor(string door, IEnumerable<string> doors) =>
        Visible.Escape($"nftknock: the config has no door '{door}'. Its doors: {string.Join(", ", doors)}. Name one with --door.");

    public static string ClientWhichDoor(IEnumerable<string> doors) =>
        $"nftknock: the config has more than one door ({string.Join(", ", doors)}). Name the client's door with --door.";

    public static string ClientStaticDoor(string door) =>
        $"nftknock: door {door} has a static sequence: one sequence shared by everyone who knows it, so it has no clients of its own and nothing was written. "
        + "Below is the shared profile to hand over. To give each person a secret that can be revoked alone, make the door rotating "
        + "(replace sequence: with rotating: {clients: [{name: NAME, secret-file: FILE}]}, see docs/rotating.md), run nftknock apply, then nftknock client add again.";

    public static string ClientSecretDirUnsafe(string dir, string reason) =>
        Visible.Escape($"nftknock: cannot keep client secrets in {dir}: {reason}. Make it root's and private (chown root: {dir}; chmod 700 {dir}), or name another with --secret-dir.");

    public static string ClientSecretExists(string path) =>
        Visible.Escape($"nftknock: {path} already exists, and a secret is never overwritten. Move it away, or pick another client name.");

    public static string ClientConfigWouldBreak(string name) =>
        $"nftknock: with client '{name}' the config would not be valid (above); nothing was written.";

    public static string ClientConverted(string door) =>
        $"nftknock: door {door} had one secret-file; it is now a clients: list whose first client, '{door}', holds that secret, so the profiles made from it keep working.";

    public static string ClientAdded(string name, string door, string config, string secret, bool applying) =>
        Visible.Escape($"nftknock: added client '{name}' to door {door} in {config}; its secret is {secret}."
            + (applying ? string.Empty : " Run nftknock apply to let it knock."));

    public static string ClientAddReverted(string name, string config) =>
        Visible.Escape($"nftknock: the apply did not go through, so client '{name}' was taken out of {config} again and its secret removed.");

    public static string ClientUnknown(string name, string config, IEnumerable<string> clients) =>
        Visible.Escape($"nftknock: no rotating door in {config} has a client '{name}'. Its clients: {string.Join(", ", clients.DefaultIfEmpty("none"))} (nftknock client list).");

    public static string ClientRevoked(string name, string door, string config, string? moved, bool applying) =>
        Visible.Escape($"nftknock: removed client '{name}' from door {door} in {config}"
            + (moved is null ? "." : $"; its secret was moved aside to {moved}.")
            + (applying ? string.Empty : " Run nftknock apply to refuse its knocks."));

    public static string ClientGrantsClosed(string name, IReadOnlyList<string> closed, IReadOnlyList<string> kept) =>
        $"nftknock: closed {Count(closed.Count, "grant")} that {name}'s knocks opened"
        + (closed.Count > 0 ? $" ({string.Join(", ", closed)})" : string.Empty)
        + (kept.Count > 0 ? $"; kept {string.Join(", ", kept)}, which another client holds too." : ".");

    public static string ClientCannotWrite(string path, string reason) =>
        Visible.Escape($"nftknock: cannot write {path}: {reason}. Nothing was changed.");

    public static string ClientBadHost(string host) =>
        Visible.Escape($"nftknock: --host '{host}' is not HOST or HOST:PORT (a DNS name, an IPv4 address or [IPv6]:PORT). Give the name clients connect to.");

    public static string ClientBadGrantPrefix(string value) =>
        Visible.Escape($"nftknock: --grant-prefix '{value}' is not like ipv4:24 or ipv4:24,ipv6:64.");

    public const string ImportLinkInHistory =
        "nftknock: warning: the link was given on the command line, so your shell history now holds its secret. Next time run nftknock import - and paste the link.";

    public static string ImportNoLink() => "nftknock: standard input held no link. Paste the link that nftknock client add printed, then press Enter.";

    public static string ImportDifferentSecret(string host, string door, string path) =>
        Visible.Escape($"nftknock: {path} already has a different secret for {host} (door {door}). If the server's operator gave you this new link, run the import again with --replace.");

    public static string ImportDifferentProfile(string host, string path) =>
        Visible.Escape($"nftknock: {path} already has a different profile for {host}. Run the import again with --replace to replace it.");

    public static string ImportUnchanged(string host, string path) =>
        Visible.Escape($"nftknock: {path} already holds this profile for {host}; nothing changed. Add this to ~/.ssh/config if it is not there yet:");

    public static string ImportWrote(string host, string path, bool replaced) =>
        Visible.Escape($"nftknock: {(replaced ? "replaced" : "wrote")} the profile of {host} in {path}. Add this to ~/.ssh/config:");

    public static string ImportCannotEdit(string host, string path) =>
        Visible.Escape($"nftknock: cannot replace the profile of {host} in {path} line by line: write its hosts: entries in block style, one key per line, or edit the file by hand.");
}
