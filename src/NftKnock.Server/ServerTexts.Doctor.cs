// The doctor's every finding and fix, by check, kept together so the words stay consistent.
using System.Globalization;
using NftKnock.Core.Diagnostics;

namespace NftKnock.Server;

/// <summary>The doctor's check names, findings and fixes.</summary>
public static partial class ServerTexts
{
    /// <summary>Check names, as doctor prints them.</summary>
    public static class CheckNames
    {
        /// <summary>The nft version check.</summary>
        public const string NftVersion = "nft version";

        /// <summary>The kernel feature check.</summary>
        public const string KernelFeatures = "kernel features";

        /// <summary>The foreign input and prerouting chains check.</summary>
        public const string HostFirewall = "host firewall";

        /// <summary>The ports published by DNAT check.</summary>
        public const string Published = "published ports";

        /// <summary>The listening sockets check.</summary>
        public const string Listeners = "listeners";

        /// <summary>The secret files check.</summary>
        public const string SecretFiles = "secret files";

        /// <summary>The public sequences check.</summary>
        public const string Sequences = "sequences";

        /// <summary>The clock check.</summary>
        public const string ClockSync = "clock sync";

        /// <summary>The rotation check.</summary>
        public const string Rotation = "rotation";

        /// <summary>The kernel log check.</summary>
        public const string KernelLog = "log lines";

        /// <summary>The drift check.</summary>
        public const string Table = "table";

        /// <summary>The audit mode check.</summary>
        public const string Audit = "audit mode";
    }

    /// <summary>A check that needs a config, without one.</summary>
    public const string NoConfig = "skipped: no valid config";

    /// <summary>How to give doctor a config.</summary>
    public const string ConfigFix = "Pass the config with -c FILE, or fix the errors nftknock check reports.";

    /// <summary>A check that needs root, without it.</summary>
    public const string NeedsRoot = "skipped: needs root";

    /// <summary>A check that needs nft, without it.</summary>
    public const string NftBroken = "skipped: nft does not work";

    /// <summary>The fix for a missing root.</summary>
    public const string SudoFix = "Run nftknock doctor with sudo.";

    /// <summary>The fix for a broken nft, before anything else.</summary>
    public const string InstallNftFirst = "Install nftables first.";

    /// <summary>A rotation check without rotating doors.</summary>
    public const string NoRotatingDoors = "not applicable: no rotating doors";

    /// <summary>Its fix.</summary>
    public const string NoRotatingDoorsFix = "Nothing to do until a door uses rotating:.";

    /// <summary>A listing nft refused.</summary>
    public static string ListingFailed(string command, string error) => $"{command} failed: {error}";

    /// <summary>Its fix.</summary>
    public static string ListingFailedFix(string command) => $"Run {command} to see nft's whole answer; nftknock needs nft 1.0 or newer, run as root.";

    /// <summary>A listing nftknock cannot read.</summary>
    public static string ListingUnreadable(string command) => $"cannot read what {command} printed";

    /// <summary>Its fix.</summary>
    public const string ListingUnreadableFix = "Check that nft is version 1.0 or newer.";

    /// <summary>nft missing.</summary>
    public const string NftMissing = "nft is not installed";

    /// <summary>Its fix.</summary>
    public const string NftMissingFix = "apt-get install nftables (or your distribution's nftables package).";

    /// <summary>nft --version failing.</summary>
    public static string NftVersionFailed(string error) => $"nft --version failed: {error}";

    /// <summary>Its fix.</summary>
    public const string NftVersionFailedFix = "Run nft --version to see why; reinstall nftables if it does not answer.";

    /// <summary>A version line that cannot be read.</summary>
    public static string NftVersionUnreadable(string line) => $"cannot read the version from '{line}'";

    /// <summary>Its fix.</summary>
    public static string InstallNft(Version verified) => $"Install nftables {verified} or newer.";

    /// <summary>A good nft.</summary>
    public static string NftVersionOk(Version version) => $"nft {version}";

    /// <summary>An nft older than the verified one.</summary>
    public static string NftOlder(Version version, Version verified) => $"nft {version} is older than {verified}, the release nftknock is tested on";

    /// <summary>Its fix.</summary>
    public static string UpgradeNft(Version verified) => $"Upgrade nftables to {verified} or newer.";

    /// <summary>An nft before 1.0.</summary>
    public static string NftTooOld(Version version) => $"nft {version} is too old: nftknock needs 1.0 or newer";

    /// <summary>Its fix.</summary>
    public static string UpgradeNftDebian(Version verified) => $"Upgrade nftables to {verified} or newer (Debian 12 ships it).";

    /// <summary>A feature the kernel refused, with nft's words.</summary>
    public static string FeatureRefused(string feature, string error) => $"{feature} ({error})";

    /// <summary>The config's own ruleset refused, with nft's words.</summary>
    public static string ConfigRulesetRefused(string error) => $"the config's ruleset ({error})";

    /// <summary>Dry runs without root.</summary>
    public const string DryRunsNeedRoot = "the dry runs need root";

    /// <summary>Every feature accepted.</summary>
    public static string FeaturesOk(bool withConfig) => withConfig
        ? "the kernel accepts every feature nftknock uses, and the config's ruleset"
        : "the kernel accepts every feature nftknock uses";

    /// <summary>Features refused.</summary>
    public static string FeaturesRefused(IEnumerable<string> missing) => $"the kernel refuses: {string.Join("; ", missing)}";

    /// <summary>Its fix.</summary>
    public const string FeaturesFix = "Use a kernel with nf_tables built in or loadable (5.10 or newer; Debian 12's works), and nft 1.0.6 or newer.";

    /// <summary>A foreign chain, as findings name it.</summary>
    public static string ForeignChain(string family, string table, string chain, int priority) =>
        string.Create(CultureInfo.InvariantCulture, $"table {family} {table} chain {chain} (priority {priority})");

    /// <summary>A foreign rule that drops a protected range.</summary>
    public static string ForeignDrop(string where, object range) => $"{where} has a rule that drops {range}";

    /// <summary>A foreign rule nftknock cannot evaluate.</summary>
    public static string ForeignUnsure(string where, object range) => $"{where}: a rule for {range} uses a named set or something else nftknock cannot read";

    /// <summary>A foreign drop policy without an accept.</summary>
    public static string ForeignPolicyDrop(string where, object range) => $"{where} has policy drop and no rule that accepts {range}";

    /// <summary>Guard mode blocked by foreign chains.</summary>
    public static string GuardBlocked(IEnumerable<string> problems) => $"guard mode cannot work: {string.Join("; ", problems)}";

    /// <summary>Its fix.</summary>
    public const string GuardBlockedFix = "Let the protected ports through the host firewall (for example 'tcp dport 22 accept' before its drop rules): nftknock's guard decides who may connect, and a drop in any base chain is final. Or run nftknock in firewall mode on a host without another firewall.";

    /// <summary>The fix when nftknock cannot read a foreign rule.</summary>
    public const string ForeignUnsureFix = "Check by hand that the host firewall accepts the protected ports (nft list ruleset).";

    /// <summary>No foreign input or prerouting filter chain.</summary>
    public const string NoForeignChains = "no other table has an input or prerouting filter chain";

    /// <summary>Foreign input and prerouting chains that let the ports through.</summary>
    public static string ForeignChainsOk(int count) => string.Create(CultureInfo.InvariantCulture, $"{count} other input or prerouting chain(s) let the protected ports through");

    /// <summary>A nat chain, as the published ports check names it.</summary>
    public static string NatChain(string family, string table, string chain) => $"table {family} {table} chain {chain}";

    /// <summary>Where a DNAT rule sends connections: an address and port, or an iptables rule whose target nft does not show.</summary>
    public static string DnatTo(string? target) => target is null ? "an iptables DNAT rule" : $"DNAT to {target}";

    /// <summary>A DNAT target that a map or an expression chooses.</summary>
    public const string DnatByMap = "an address a map chooses";

    /// <summary>A protected range that a DNAT rule publishes, and the loaded table guards after DNAT.</summary>
    public static string PublishedGuarded(object range, string dnat, string where) =>
        $"{range} is published by {dnat} ({where}) and guarded after DNAT, on the forward path";

    /// <summary>A protected range that a DNAT rule publishes, and the loaded table does not guard after DNAT.</summary>
    public static string PublishedUnguarded(object range, string dnat, string where) =>
        $"{range} is published by {dnat} ({where}) but the loaded table does not guard it after DNAT, so it is reachable without a knock";

    /// <summary>A protected range that a DNAT rule publishes while nftknock's table is not loaded.</summary>
    public static string PublishedNotLoaded(object range, string dnat, string where) =>
        $"{range} is published by {dnat} ({where}) and not guarded: nftknock's table is not loaded";

    /// <summary>A DNAT target of a protected port that the loaded table does not know, so it is reachable straight.</summary>
    public static string TargetExposed(object address, object ports, string door) =>
        $"{address} {ports}, where a DNAT rule sends door {door}'s port, is not in the loaded table, so a neighbour that routes to it connects straight without a knock";

    /// <summary>The fix for published ports the loaded table does not guard.</summary>
    public static string NotGuardedFix(string table) =>
        $"Run nftknock apply: it reads where the host's DNAT rules send protected ports and guards them in table inet {table}. Apply again after a container or a DNAT rule that publishes a protected port changes.";

    /// <summary>A DNAT rule that matches no port.</summary>
    public static string DnatAnyPort(string where, object range) => $"{where} has a DNAT rule without a port match, so it may publish {range}";

    /// <summary>A DNAT rule whose port match nftknock cannot read.</summary>
    public static string DnatUnreadable(string where, string why, object range) => $"{where} has a DNAT rule whose ports {why}, so it may publish {range}";

    /// <summary>Why: a named set or map.</summary>
    public static string PortsInNamedSet(string name) => $"are in {name}";

    /// <summary>Why: an iptables match.</summary>
    public static string PortsInXtMatch(string match) => $"are matched by iptables' {match} match, which nft cannot show";

    /// <summary>Why: something else.</summary>
    public const string PortsUnreadable = "are matched by an expression nftknock cannot read";

    /// <summary>An iptables-legacy DNAT rule that may publish a protected range.</summary>
    public static string LegacyDnat(string binary, object range, string rule) =>
        $"{binary} -t nat has a DNAT rule that nft cannot list, which may publish {range}: {rule}";

    /// <summary>iptables-legacy failing.</summary>
    public static string LegacyFailed(string binary, string error) => $"{binary} -t nat -S failed: {error}";

    /// <summary>No DNAT rule publishes a protected port.</summary>
    public const string NothingPublished = "no DNAT rule publishes a protected port";

    /// <summary>Its fix, when doctor cannot tell.</summary>
    public const string PublishedFix = "nftknock guards a protected port by the port clients connect to on this host, before any DNAT or redirect: read the rules named above (nft list ruleset; iptables-legacy -t nat -S) and make sure protect: names the ports clients connect to.";

    /// <summary>Every protected port has a listener.</summary>
    public const string ListenersOk = "a service listens on every protected port";

    /// <summary>A protected range without a listener, as the finding lists it.</summary>
    public static string SilentRange(object range, string door) => $"{range} (door {door})";

    /// <summary>Protected ranges without listeners.</summary>
    public static string NothingListens(IEnumerable<string> silent) => $"nothing listens on {string.Join(", ", silent)}, so a knock opens a port nobody answers";

    /// <summary>Its fix.</summary>
    public const string NothingListensFix = "Start the service (for SSH: systemctl start ssh), or correct the door's protect list.";

    /// <summary>No secret files.</summary>
    public const string NoSecretFiles = "the config names no secret files";

    /// <summary>Windows cannot check modes.</summary>
    public const string ModesUnchecked = "file modes cannot be checked on Windows";

    /// <summary>Its fix.</summary>
    public const string ModesUncheckedFix = "Run nftknock doctor on the Linux server.";

    /// <summary>Missing secret files.</summary>
    public static string SecretsMissing(IEnumerable<string> paths) => $"missing: {string.Join(", ", paths)}";

    /// <summary>Its fix.</summary>
    public const string SecretsMissingFix = "Create the secret (nftknock init --rotating) or fix the path in the config.";

    /// <summary>Unsafe secret files with their problems.</summary>
    public static string SecretsUnsafe(IEnumerable<(string Path, string? Problem)> files) =>
        $"not safe: {string.Join("; ", files.Select(p => $"{p.Path}: {p.Problem}"))}";

    /// <summary>Its fix, naming the files.</summary>
    public static string SecretsUnsafeFix(string named) =>
        $"chown root:root {named}; chmod 600 {named}; keep them as regular files in a directory only root can write (like /etc/nftknock); then make new secrets, since the old ones may have been read.";

    /// <summary>Safe secret files.</summary>
    public static string SecretsOk(int count) => $"{count} secret file(s), owner-only (0600)";

    /// <summary>No door uses a public sequence.</summary>
    public const string SequencesOk = "no door uses a sequence printed in nftknock's documentation";

    /// <summary>Doors that use a public sequence.</summary>
    public static string SequencesPublic(string code, IEnumerable<string> doors) =>
        $"{code}: door {string.Join(", ", doors)} uses a sequence printed in nftknock's documentation, so anyone who has read it can knock";

    /// <summary>Its fix.</summary>
    public const string SequencesPublicFix = $"Use a fresh random sequence: {Messages.FreshSequence}";

    /// <summary>A synchronised clock.</summary>
    public const string ClockOk = "the kernel reports the clock synchronised";

    /// <summary>An unsynchronised clock with rotating doors.</summary>
    public static string ClockUnsynchronised(IEnumerable<string> doors) =>
        $"the clock is not synchronised, so rotating doors ({string.Join(", ", doors)}) may expect other knocks than clients send";

    /// <summary>Its fix.</summary>
    public const string ClockUnsynchronisedFix = "Enable NTP: apt-get install systemd-timesyncd or chrony.";

    /// <summary>A clock whose state is unknown.</summary>
    public const string ClockUnknown = "cannot tell whether the clock is synchronised";

    /// <summary>Its fix.</summary>
    public const string ClockUnknownFix = "Make sure NTP keeps this clock within one period of the clients' clocks.";

    /// <summary>Rotation without a table.</summary>
    public static string RotationNoTable(string table) => $"skipped: table inet {table} is not loaded";

    /// <summary>Its fix.</summary>
    public const string RotationNoTableFix = "Run nftknock apply first (see the table check).";

    /// <summary>Current rotating knocks.</summary>
    public static string RotationOk(int doors) => string.Create(CultureInfo.InvariantCulture, $"the knocks of {doors} rotating door(s) are current");

    /// <summary>Rotating doors whose knocks went stale.</summary>
    public static string RotationStopped(IReadOnlyList<string> doors) =>
        $"rotation is not running for {(doors.Count == 1 ? "door" : "doors")} {string.Join(", ", doors)}";

    /// <summary>Its fix.</summary>
    public const string RotationStoppedFix = "Start it: systemctl enable --now nftknock-rotate.service (or run nftknock rotate).";

    /// <summary>The table as the drift check names it.</summary>
    public static string DriftTable(string table) => $"table inet {table}";

    /// <summary>No table loaded.</summary>
    public static string TableNotLoaded(string table) => $"{table} is not loaded, so nothing is protected";

    /// <summary>Its fix.</summary>
    public const string TableNotLoadedFix = "Run nftknock apply --confirm 60s, then systemctl enable nftknock.service so it is loaded at boot.";

    /// <summary>A table that matches.</summary>
    public static string TableMatches(string table, int objects, int entries) =>
        string.Create(CultureInfo.InvariantCulture, $"{table} matches the config ({objects} objects, {entries} map entries)");

    /// <summary>A table that differs.</summary>
    public static string TableDiffers(string table, IEnumerable<string> problems) => $"{table} differs from the config: {string.Join("; ", problems)}";

    /// <summary>Its fix.</summary>
    public const string TableDiffersFix = "Run nftknock apply --confirm 60s: the config changed since the last apply, or the table was edited by hand.";

    /// <summary>One kind of difference and what it names.</summary>
    public static string DriftProblem(string what, IEnumerable<string> names) => $"{what}: {string.Join(", ", names)}";

    /// <summary>Kinds of difference.</summary>
    public static class DriftKinds
    {
        /// <summary>Planned objects not in the table.</summary>
        public const string Missing = "missing";

        /// <summary>Table objects not planned.</summary>
        public const string Extra = "not in the config";

        /// <summary>Objects declared otherwise than planned.</summary>
        public const string Changed = "declared otherwise than the config";

        /// <summary>Planned entries of a map not in the table.</summary>
        public static string EntriesMissing(string map) => $"{map} entries missing";

        /// <summary>Entries of a map not planned.</summary>
        public static string EntriesExtra(string map) => $"{map} entries not in the config";
    }

    /// <summary>The kernel log check without a door that logs.</summary>
    public const string NoDoorLogs = "not applicable: no door logs its grants (log: false)";

    /// <summary>The log check: which doors' lines nftknock events reads, and why they cannot be forged.</summary>
    public static string LinesToGroup(IReadOnlyList<string> doors, int group) =>
        doors.Count == 0
            ? "every door that logs sends its lines to its own log-group, which nftknock events does not read"
            : string.Create(CultureInfo.InvariantCulture, $"the lines of {string.Join(", ", doors)} go to NFLOG group {group} of this network namespace, where only its own tables can write; nftknock events and nftknock-events.service read them");

    /// <summary>The audit check's pass: the table enforces, or there is no table to be in audit mode.</summary>
    public static string Enforcing(bool loaded) =>
        loaded ? "enforcing: connections without a grant to protected ports are refused" : "no table is loaded, so none is in audit mode";

    /// <summary>The audit check's warning: protected ports let everyone in.</summary>
    public static string Auditing(string table, long audited) =>
        string.Create(CultureInfo.InvariantCulture, $"AUDIT MODE: table inet {table} lets every new connection to its protected ports through; {audited} would have been refused (see nftknock events, kind would-drop)");

    /// <summary>Its fix: apply without audit once the would-drop events show nobody who needs in.</summary>
    public static string AuditingFix(bool inConfig) => inConfig
        ? "When nftknock events shows no would-drop from anyone who needs in, remove audit: true from the config and run nftknock apply --confirm 60s."
        : "When nftknock events shows no would-drop from anyone who needs in, run nftknock apply --confirm 60s (without --audit) to enforce.";
}
