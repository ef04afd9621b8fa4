using System.Globalization;
using NftKnock.Core.Model;

namespace NftKnock.Core.Diagnostics;

/// <summary>Every sentence that config and profile validation can say, with its stable code.</summary>
public static partial class Messages
{
    /// <summary>The YAML could not be parsed.</summary>
    public static Message YamlSyntax(string reason) =>
        new("NK001", $"The file is not valid YAML ({reason}). Fix the syntax at this line.");

    /// <summary>The file holds no document.</summary>
    public static Message EmptyFile(string what) => new("NK002", $"The file is empty. Add {what}.");

    /// <summary>A key that the schema does not have.</summary>
    public static Message UnknownKey(string key, IEnumerable<string> valid) =>
        new("NK010", $"Unknown key '{key}'. Valid keys here: {string.Join(", ", valid)}.");

    /// <summary>A key given twice in one mapping.</summary>
    public static Message DuplicateKey(string key) => new("NK011", $"The key '{key}' appears more than once. Keep one.");

    /// <summary>A node of the wrong kind (a list where a value belongs, ...).</summary>
    public static Message WrongShape(string what, string expected) => new("NK012", $"{what} must be {expected}.");

    /// <summary>A required key is missing.</summary>
    public static Message MissingKey(string owner, string key, string example) =>
        new("NK013", $"{owner} has no '{key}'. Add it, for example {key}: {example}.");

    /// <summary>An invalid table name.</summary>
    public static Message BadTable(string value) =>
        new("NK020", $"The table name '{value}' is invalid. Use a lowercase letter followed by up to 31 lowercase letters, digits or underscores.");

    /// <summary>A value outside a fixed list of words.</summary>
    public static Message BadChoice(string key, string value, string choices) =>
        new("NK021", $"'{value}' is not a valid {key}. Use {choices}.");

    /// <summary>Firewall settings in guard mode.</summary>
    public static Message FirewallIgnored() =>
        new("NK022", "The firewall section only applies in firewall mode and is ignored in guard mode. Set mode: firewall or remove the section.");

    /// <summary>No doors at all.</summary>
    public static Message NoDoors() => new("NK030", "No doors are defined. Add at least one door under doors:, for example ssh: {protect: [22/tcp], sequence: [7000/udp, 8000/tcp, 9000/udp]}.");

    /// <summary>An invalid door name.</summary>
    public static Message BadDoorName(string value) =>
        new("NK031", $"The door name '{value}' is invalid. Use a lowercase letter followed by up to 15 lowercase letters, digits or underscores.");

    /// <summary>A knock step that is not PORT/PROTO.</summary>
    public static Message BadStep(string value) =>
        new("NK040", $"'{value}' is not a knock step. Write PORT/udp or PORT/tcp with PORT in 1..65535, like 7000/udp.");

    /// <summary>A protected port that is not PORT[-PORT]/PROTO.</summary>
    public static Message BadPortRange(string value) =>
        new("NK041", $"'{value}' is not a port or port range. Write PORT/tcp or FIRST-LAST/tcp with ports in 1..65535 and FIRST not above LAST, like 22/tcp or 6000-6010/tcp.");

    /// <summary>No protected ports.</summary>
    public static Message EmptyProtect() =>
        new("NK042", "protect is empty. List the ports this door hides, like [22/tcp].");

    /// <summary>No knock steps.</summary>
    public static Message EmptySequence() =>
        new("NK043", "The sequence is empty. List 1 to 16 knock steps, like [7000/udp, 8000/tcp, 9000/udp].");

    /// <summary>More steps than the kernel sets are planned for.</summary>
    public static Message TooManyEntries(string what, int count, int max) =>
        new("NK058", Invariant($"{what} has {count} entries. Use at most {max}; ranges like 6000-6010/tcp and prefixes like 192.0.2.0/24 cover many at once."));

    /// <summary>A sequence longer than 16 steps.</summary>
    public static Message TooManySteps(int count) =>
        new("NK044", Invariant($"The sequence has {count} steps. Use at most {Step.MaxPerSequence}."));

    /// <summary>The same step twice in a sequence.</summary>
    public static Message RepeatedStep(string step, int firstIndex) =>
        new("NK045", Invariant($"The knock step {step} repeats step {firstIndex}. Use a different port for every step."));

    /// <summary>A knock step on a protected port.</summary>
    public static Message StepIsProtected(string step, string door) =>
        new("NK046", $"The knock step {step} is a port that door '{door}' protects. Pick a knock port that no door protects.");

    /// <summary>A knock step shared with another door.</summary>
    public static Message StepOfOtherDoor(string step, string door) =>
        new("NK047", $"The knock step {step} is also a knock step of door '{door}'. Give each door its own knock ports.");

    /// <summary>Protected ports shared between doors.</summary>
    public static Message ProtectOverlap(string ports, string other, string door) =>
        new("NK048", $"The protected ports {ports} overlap {other} of door '{door}'. A port can belong to one door only.");

    /// <summary>A knock or protected port that firewall.allow opens to everyone.</summary>
    public static Message PortIsFirewallAllowed(string port) =>
        new("NK049", $"The port {port} is also in firewall.allow, which opens it to everyone. Remove it from firewall.allow or pick another port.");

    /// <summary>A duration that does not parse.</summary>
    public static Message BadDuration(string value) =>
        new("NK050", $"'{value}' is not a duration. Write a whole number followed by ms, s, m or h, like 500ms, 2s or 1m.");

    /// <summary>A duration outside its range.</summary>
    public static Message DurationRange(string key, string value, string min, string max) =>
        new("NK051", $"{key} {value} is out of range. Use a value from {min} to {max}.");

    /// <summary>An unknown family name.</summary>
    public static Message BadFamily(string value) =>
        new("NK052", $"'{value}' is not an address family. Use ipv4 or ipv6.");

    /// <summary>An empty family list.</summary>
    public static Message NoFamilies() => new("NK053", "families is empty. List ipv4, ipv6 or both.");

    /// <summary>An address prefix that does not parse or has host bits.</summary>
    public static Message BadPrefix(string value) =>
        new("NK054", $"'{value}' is not an address prefix. Write a canonical address (IPv4 as four decimal numbers 0-255 without leading zeros) or a prefix with its host bits zero, like 192.0.2.0/24 or 2001:db8::/32.");

    /// <summary>An address prefix with an IPv6 zone index.</summary>
    public static Message PrefixZoneIndex(string value) =>
        new("NK057", $"'{value}' has a zone index: zone indices like %eth0 are not allowed in allow:, since nft matches addresses on every interface. Write the address without it, like fe80::1 or fe80::/10.");

    /// <summary>close-on-connect on a UDP door.</summary>
    public static Message CloseOnConnectNeedsTcp(string port) =>
        new("NK055", $"close-on-connect needs TCP, but {port} is UDP, which has no connection to use the grant up. Set close-on-connect: false or protect TCP ports only.");

    /// <summary>A single-value key given as true/false that is not.</summary>
    public static Message BadBoolean(string key, string value) =>
        new("NK056", $"'{value}' is not a valid {key}. Use true or false.");

    /// <summary>Warning: a sequence that a sweep completes easily because it is short.</summary>
    public static Message FewSteps(int count) =>
        new("NK101", Invariant($"The sequence has only {count} step{(count == 1 ? "" : "s")}, which a port sweep finds quickly. Use at least 3 steps."));

    /// <summary>Warning: steps in port order.</summary>
    public static Message Monotonic(string direction) =>
        new("NK102", $"The knock ports are in {direction} order, the order a sequential sweep walks them. Shuffle the order.");

    /// <summary>Warning: consecutive steps on neighbouring ports.</summary>
    public static Message NeighbouringSteps(string first, string second) =>
        new("NK103", $"The knock steps {first} and {second} follow each other on neighbouring ports, so a sweep that hits one soon hits the other. Spread the ports at least 100 apart.");

    /// <summary>Warning: a sequence printed in nftknock's own documentation.</summary>
    public static Message PublicSequence() =>
        new("NK104", $"This sequence is printed in nftknock's own documentation, so anyone who has read it can knock. Use a fresh random one: {FreshSequence}");

    /// <summary>Where a fresh random sequence comes from, for every text that asks for one.</summary>
    public const string FreshSequence = "nftknock init -o /tmp/fresh.yaml writes one to copy from.";

    /// <summary>Warning: a door in firewall mode that refuses unlike every closed port of the firewall.</summary>
    public static Message RefuseUnlikeFirewall(string door, string refuse, bool reject) =>
        new("NK105", $"The door '{door}' answers with refuse: {refuse} but firewall.reject: {(reject ? "true" : "false")} answers every closed port the other way, so the door's ports stand out from their neighbours. Remove refuse to answer as the firewall does.");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
