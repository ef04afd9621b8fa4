using System.Globalization;
using System.Net;
using System.Text;
using NftKnock.Client.Network;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;

namespace NftKnock.Client;

/// <summary>Every one-line sentence the client commands print on stderr, kept in one place.</summary>
public static partial class ClientTexts
{
    /// <summary>The name does not resolve (exit 2).</summary>
    public static string Unresolvable(string host, string? reason) =>
        $"nftknock: cannot resolve {host}{(string.IsNullOrEmpty(reason) ? string.Empty : $" ({reason})")}. Check the name, or set address: in its profile.";

    /// <summary>-4 or -6 excluded every address (exit 2).</summary>
    public static string NoAddressOfFamily(string host, bool ipv6) =>
        $"nftknock: {host} has no {(ipv6 ? "IPv6" : "IPv4")} address. Drop {(ipv6 ? "-6" : "-4")} or use a name that has one.";

    /// <summary>No route to any of the addresses (exit 1).</summary>
    public static string NoRoute(IReadOnlyList<IPAddress> addresses) =>
        $"nftknock: no route to {Join(addresses, " or ")}. Check the network connection and the address.";

    /// <summary>
    /// This machine's firewall refused the knocks to <paramref name="address"/> (exit 1); with
    /// <paramref name="nameFamily"/> the line names its family, for a knock that went to both.
    /// </summary>
    public static string Blocked(IPAddress? address, bool nameFamily) =>
        $"nftknock: this machine's firewall refused to send the knocks to {WithFamily(address, nameFamily)}. Allow outgoing packets to the knock ports.";

    /// <summary>
    /// The port never accepted the connection on any of <paramref name="addresses"/>, every address tried
    /// (exit 3). A rotating door's knocks are not the user's to check: its secret, clock and rotate are.
    /// </summary>
    public static string NeverOpened(string host, IReadOnlyList<IPAddress> addresses, int port, int attempts, bool rotating = false)
    {
        var check = rotating
            ? "Check the secret in the profile, this machine's clock and that nftknock rotate runs on the server."
            : "Check the knock sequence, the family and that the server runs nftknock.";
        return Invariant($"nftknock: knocked {Times(attempts)} on {host}{Where(host, addresses)} but port {port} never opened. {check}");
    }

    /// <summary>
    /// The port answered with a reset (exit 3): a door that hides its port drops the connection, so the
    /// knock opened it and nothing listens. Only a firewall-mode door with reject: true resets a closed port too.
    /// </summary>
    public static string NothingListens(string host, IReadOnlyList<IPAddress> addresses, int port, int attempts) =>
        Invariant($"nftknock: knocked {Times(attempts)} on {host}{Where(host, addresses)}: the door opened but nothing accepts connections on port {port}. Start the service or check its port (a door whose firewall has reject: true also resets a wrong knock).");

    private static string Times(int attempts) => Invariant($"{attempts} time{(attempts == 1 ? string.Empty : "s")}");

    private static string Where(string host, IReadOnlyList<IPAddress> addresses) =>
        addresses.Count == 0 || (addresses.Count == 1 && addresses[0].ToString() == host) ? string.Empty : $" ({Join(addresses, " and ")})";

    /// <summary>A problem found in a value the client was given, as one line.</summary>
    public static string Problem(string text) => $"nftknock: {text}";

    /// <summary>A knock step on the command line that does not parse (exit 2).</summary>
    public static string BadStep(string value) => Problem(Messages.BadStep(value).Text);

    /// <summary>ssh-config given knock steps without --sequence-in-command (exit 2).</summary>
    public static string StepsInProxyCommand(string host) =>
        $"nftknock: knock steps in a ProxyCommand are visible to every local user (ps shows its arguments). Put them in your profile instead, as hosts: {{{host}: {{sequence: [...]}}}}, and run ssh-config without them; or pass --sequence-in-command to accept that.";

    /// <summary>ssh-config for a host that no profile matches: a warning, the stanza is still printed.</summary>
    public static string NoProfileFor(string host, string profiles) =>
        Core.Diagnostics.Visible.Escape($"nftknock: no profile in {profiles} matches {host}, so ssh {host} would connect without knocking and fail. Add {host} to it with nftknock import or a hosts: entry before you use the stanza.");

    /// <summary>ssh-config given a program path it cannot write into ssh_config (exit 2).</summary>
    public static string BadProgram(string value) =>
        $"nftknock: '{value.ReplaceLineEndings(" ")}' cannot be the program in a ProxyCommand: it is empty or holds control characters. Pass the path of the nftknock binary.";

    /// <summary>A port on the command line that does not parse (exit 2).</summary>
    public static string BadPort(string value) =>
        $"nftknock: '{value}' is not a port. Use a number from 1 to 65535.";

    /// <summary>No steps on the command line and no profile that has them (exit 2).</summary>
    public static string NoSteps(string host, string profiles) =>
        $"nftknock: no knock steps for {host}. Give them on the command line, like 7000/udp 8000/tcp 9000/udp, or add {host} with a sequence: to {profiles}.";

    /// <summary>--check without a port and no port in the profile (exit 2).</summary>
    public static string NoPort(string host) =>
        $"nftknock: no port to check on {host}. Give it as --check PORT, or set port: in its profile.";

    /// <summary>Both -4 and -6 (exit 2).</summary>
    public const string BothFamilies = "nftknock: -4 and -6 exclude each other. Give one of them.";

    /// <summary>An option value out of range (exit 2).</summary>
    public static string BadOption(string option, string value, string range) =>
        $"nftknock: {option} {value} is out of range. Use {range}.";

    /// <summary>A profiles file that cannot be read (exit 2).</summary>
    public static string CannotReadProfiles(string path, string reason) =>
        Core.Diagnostics.Visible.Escape($"nftknock: cannot read {path}: {reason}. Check the path given with --profiles.");

    /// <summary>Verbose: the addresses attempts will use.</summary>
    public static string Resolved(string host, IReadOnlyList<IPAddress> candidates)
    {
        var text = new StringBuilder();
        foreach (var address in candidates)
        {
            text.Append(text.Length == 0 ? string.Empty : ", then ").Append(address);
        }

        return $"nftknock: {host} is {text}";
    }

    /// <summary>Verbose: one attempt's knocks are out (<paramref name="copies"/> is 1, or 2 on a retry).</summary>
    public static string Knocked(int attempt, int attempts, IReadOnlyList<Step> steps, IReadOnlyList<IPAddress> addresses, TimeSpan gap, int copies, double ms)
    {
        var text = new StringBuilder();
        foreach (var step in steps)
        {
            text.Append(text.Length == 0 ? string.Empty : " ").Append(step.ToString());
        }

        var twice = copies > 1 ? "each twice, " : string.Empty;
        var spacing = gap > TimeSpan.Zero ? $"{Duration.Format(gap)} apart" : "back to back";
        return Invariant($"nftknock: attempt {attempt} of {attempts}: knocked {text} on {Join(addresses, " and ")}, {twice}{spacing}, in {ms:0.0} ms");
    }

    /// <summary>Verbose: the connection of one attempt failed.</summary>
    public static string ConnectFailed(IPAddress address, int port, ConnectFailure failure, TimeSpan timeout) => failure switch
    {
        ConnectFailure.Refused => Invariant($"nftknock: {address} port {port} refused the connection"),
        ConnectFailure.NoRoute => Invariant($"nftknock: no route to {address} port {port}"),
        _ => Invariant($"nftknock: {address} port {port} did not answer within {Duration.Format(timeout)}"),
    };

    /// <summary>Verbose: a knock the local firewall refused.</summary>
    public static string BlockedVerbose(IPAddress address, Step step) => $"nftknock: this machine's firewall refused the knock {step} to {address}";

    /// <summary>Verbose: knocks sent with no route.</summary>
    public static string NoRouteVerbose(IPAddress address) => $"nftknock: no route to {address}";

    /// <summary>Verbose: connected, and how long after the attempt's first knock.</summary>
    public static string Connected(IPAddress address, int port, double ms, int attempt) =>
        Invariant($"nftknock: connected to {address} port {port} {ms:0.0} ms after the first knock (attempt {attempt})");

    /// <summary>Verbose: the session ended.</summary>
    public static string SessionEnded(long sent, long received, bool reset) =>
        Invariant($"nftknock: session ended{(reset ? " by a reset" : string.Empty)}: {sent} bytes sent, {received} bytes received");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

