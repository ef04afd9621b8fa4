namespace NftKnock.Core.Diagnostics;

/// <summary>The sentences of rotating doors and rotating profiles (NK06x, NK07x, NK11x).</summary>
public static partial class Messages
{
    /// <summary>A door with both a static and a rotating sequence.</summary>
    public static Message SequenceAndRotating(string door) =>
        new("NK060", $"The door '{door}' has both sequence: and rotating:. Keep one: a fixed sequence, or rotating: for knocks derived from a secret.");

    /// <summary>A rotating door without any secret.</summary>
    public static Message NoSecret() =>
        new("NK061", "rotating: names no secret. Add secret-file: /etc/nftknock/DOOR.secret, or clients: [{name: alice, secret-file: /etc/nftknock/alice.secret}]; nftknock init --rotating writes one.");

    /// <summary>Both a single secret and a client list.</summary>
    public static Message SecretAndClients() =>
        new("NK062", "rotating: has both secret-file: and clients:. Keep one: secret-file: for a single secret, clients: for one secret per person.");

    /// <summary>A knock count outside 1..16.</summary>
    public static Message BadKnocks(string value) =>
        new("NK063", $"knocks '{value}' is not a whole number from 1 to 16. Use 3 unless you have a reason.");

    /// <summary>A rotating port range that does not parse.</summary>
    public static Message BadPorts(string value) =>
        new("NK064", $"'{value}' is not a port range for rotating knocks. Write FIRST-LAST with ports in 1..65535, like 10000-65000; knocks are always UDP.");

    /// <summary>Too few ports to draw from.</summary>
    public static Message TooFewPorts(string range, int free) =>
        new("NK065", Invariant($"The rotating ports {range} leave only {free} ports after exclusions. Use a range with at least {MinFreePorts} free ports, like 10000-65000."));

    /// <summary>A port the rotating range would hit that belongs to something else.</summary>
    public static Message RangeHitsPort(string range, string port, string owner) =>
        new("NK066", $"The rotating ports {range} include {port}, {owner}. Add {port.Split('/')[0]} to the door's exclude: list (clients need the same list) or move ports: past it.");

    /// <summary>A client entry without a name or secret file, or with a bad name.</summary>
    public static Message BadClientName(string value) =>
        new("NK067", $"The client name '{value}' is invalid. Use a lowercase letter followed by up to 31 lowercase letters, digits, '.', '-' or '_'.");

    /// <summary>Two clients with one name.</summary>
    public static Message DuplicateClient(string name) =>
        new("NK068", $"The client name '{name}' appears more than once. Give every client its own name.");

    /// <summary>A secret file that cannot be read.</summary>
    public static Message SecretUnreadable(string path, string reason) =>
        new("NK069", $"The secret file {path} cannot be read: {reason}. Create it with nftknock init --rotating, or fix the path.");

    /// <summary>A secret file that is not one line of base64.</summary>
    public static Message SecretNotBase64(string path) =>
        new("NK070", $"The secret file {path} is not one line of base64. Write a fresh one with nftknock init --rotating, or: head -c 32 /dev/urandom | base64 > {path}.");

    /// <summary>A secret that is too short.</summary>
    public static Message SecretTooShort(string path) =>
        new("NK071", $"The secret in {path} is shorter than 32 bytes, which is too easy to guess. Write a fresh one with nftknock init --rotating, or: head -c 32 /dev/urandom | base64 > {path}.");

    /// <summary>An exclude entry that is not a port or range.</summary>
    public static Message BadExclude(string value) =>
        new("NK072", $"'{value}' is not a port or port range to exclude. Write PORT or FIRST-LAST, like 51820 or 60000-61000.");

    /// <summary>Two clients sharing one secret file.</summary>
    public static Message SharedSecret(string path, string other) =>
        new("NK073", $"The secret file {path} is also the secret of client '{other}'. Give every client its own secret, so that each can be revoked alone.");

    /// <summary>A client profile with both a static and a rotating sequence.</summary>
    public static Message HostSequenceAndRotating(string host) =>
        new("NK074", $"The host '{host}' has both sequence: and rotating:. Keep the one that matches the server's door.");

    /// <summary>A client profile's rotating: without the door's name.</summary>
    public static Message ProfileNoDoor() =>
        new("NK075", "rotating: has no door:. Add the door's name from the server config, like door: ssh; it is part of every derivation.");

    /// <summary>A client profile's rotating: without a secret.</summary>
    public static Message ProfileNoSecret() =>
        new("NK076", "rotating: has no secret. Add secret: with the base64 line that nftknock init printed, or secret-file: with the path of a copy of the server's secret file.");

    /// <summary>A client profile with both an inline secret and a secret file.</summary>
    public static Message ProfileSecretTwice() =>
        new("NK077", "rotating: has both secret: and secret-file:. Keep one.");

    /// <summary>An inline secret that is not usable.</summary>
    public static Message ProfileBadSecret() =>
        new("NK078", "secret: is not one line of base64 of at least 32 bytes. Copy it exactly as nftknock init printed it, or the server's secret file's line.");

    /// <summary>A server's secret file that others could read or replace.</summary>
    public static Message SecretUnsafe(string path, string reason) =>
        new("NK079", $"The secret file {path} is not safe: {reason}. Other users could read it and knock, or replace it: run chown root:root {path} and chmod 600 {path}, keep it in a directory only root can write (like /etc/nftknock), and make a new secret, since the old one may have been read.");

    /// <summary>Warning: a client's secret file other users can read.</summary>
    public static Message SecretExposed(string path, string reason) =>
        new("NK110", $"The secret file {path} is not safe: {reason}; other users could read it and knock. Run chmod 600 {path} and keep it, owned by you, in a directory only you can write.");

    /// <summary>Warning: an inline secret in a profiles file that other users can read.</summary>
    public static Message InlineSecretExposed(string reason) =>
        new("NK112", $"secret: holds the secret inline, and the profiles file is not safe: {reason}; other users could read the secret and knock. Run chmod 600 on the profiles file, or move the secret to a secret-file: that only you can read.");

    /// <summary>Warning: a period so short that clock drift and latency break knocks.</summary>
    public static Message ShortPeriod(string value) =>
        new("NK111", $"A period of {value} leaves little room for clock skew and slow links. Use 10s or more unless this is a test.");

    /// <summary>The fewest free ports a rotating door may draw from.</summary>
    public const int MinFreePorts = 100;
}
