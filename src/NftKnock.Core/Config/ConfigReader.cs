using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Yaml;

namespace NftKnock.Core.Config;

/// <summary>Reads and validates a server config, reporting every problem at once.</summary>
public static class ConfigReader
{
    internal static readonly string[] RootKeys = ["table", "mode", "audit", "firewall", "doors"];
    internal static readonly string[] FirewallKeys = ["allow", "icmp", "reject", "forward"];

    /// <summary>Reads the YAML text of a config without opening rotating doors' secret files.</summary>
    public static ConfigResult Read(string text) => Read(text, null);

    /// <summary>
    /// Reads the YAML text of a config; <paramref name="secrets"/> opens rotating doors' secret files,
    /// and when it is null the secrets stay empty (enough to plan the ruleset, not to rotate).
    /// </summary>
    public static ConfigResult Read(string text, SecretReader? secrets) => Read(text, secrets, null);

    /// <summary>
    /// Reads like <see cref="Read(string, SecretReader?)"/>; with <paramref name="now"/>, limits that
    /// have already expired are warned about.
    /// </summary>
    public static ConfigResult Read(string text, SecretReader? secrets, DateTimeOffset? now)
    {
        var bag = new DiagnosticBag();
        if (YamlTree.ParseReporting(text, bag, "a doors: map with at least one door") is not { } root)
        {
            return new ConfigResult(null, bag.Items);
        }

        var config = ReadRoot(root, new ReadContext(bag, secrets, now));
        if (config is not null && WithinLimits(config, root, bag))
        {
            CrossCheck.Run(config, bag);
        }

        return new ConfigResult(bag.HasErrors ? null : config?.Model, Sorted(bag));
    }

    /// <summary>The most doors, and the most entries in a door's protect or firewall.allow list.</summary>
    public const int MaxDoors = 64, MaxPorts = 64;

    /// <summary>The most prefixes in a door's allow list.</summary>
    public const int MaxPrefixes = 1024;

    /// <summary>
    /// Sizes are bounded before the checks between doors, which compare every port with every
    /// other: a 1 MiB file of ten thousand doors would otherwise keep check busy for minutes.
    /// </summary>
    private static bool WithinLimits(ParsedConfig config, YamlNode root, DiagnosticBag bag)
    {
        var ok = true;
        void Limit(int count, int max, string what, string path, YamlNode? at)
        {
            if (count > max)
            {
                bag.Error(Messages.TooManyEntries(what, count, max), path, at);
                ok = false;
            }
        }

        var doors = root is YamlMapping map ? map.Entries.FirstOrDefault(e => e.Key.Value == "doors").Value : null;
        Limit(config.Doors.Count, MaxDoors, "doors", "doors", doors);
        Limit(config.Firewall.Allow.Count, MaxPorts, "firewall.allow", "firewall.allow", config.Firewall.Allow.Count > 0 ? config.Firewall.Allow[0].Node : null);
        foreach (var door in config.Doors)
        {
            Limit(door.Protect.Count, MaxPorts, $"doors.{door.Name}.protect", $"doors.{door.Name}.protect", door.NameNode);
            Limit(door.Model.Allow.Count, MaxPrefixes, $"doors.{door.Name}.allow", $"doors.{door.Name}.allow", door.NameNode);
        }

        return ok;
    }

    /// <summary>Diagnostics in file order, as an operator reads the file.</summary>
    internal static IReadOnlyList<Diagnostic> Sorted(DiagnosticBag bag) =>
        bag.Items.OrderBy(d => d.Line).ThenBy(d => d.Column).ToList();

    private static ParsedConfig? ReadRoot(YamlNode root, ReadContext context)
    {
        var bag = context.Bag;
        var view = MappingView.Open(root, string.Empty, "The config", RootKeys, bag);
        if (view is null)
        {
            return null;
        }

        var table = ServerConfig.DefaultTable;
        if (view.Scalar("table") is { } tableNode)
        {
            if (NftText.IsTableName(tableNode.Value))
            {
                table = tableNode.Value;
            }
            else
            {
                bag.Error(Messages.BadTable(tableNode.Value), "table", tableNode);
            }
        }

        var mode = view.Choice("mode", Mode.Guard, ("guard", Mode.Guard), ("firewall", Mode.Firewall));
        var audit = view.Boolean("audit", false);
        var firewall = ReadFirewall(view, mode, bag);
        var doors = ReadDoors(view, ParsedConfig.DefaultRefuse(mode, firewall.Settings), context);
        var model = new ServerConfig(table, mode, firewall.Settings, doors.Select(d => d.Model).ToList()) { Audit = audit };
        return new ParsedConfig(model, firewall, doors);
    }

    private static ParsedFirewall ReadFirewall(MappingView root, Mode mode, DiagnosticBag bag)
    {
        var node = root.Get("firewall");
        if (node is null)
        {
            return new ParsedFirewall(FirewallSettings.Default, []);
        }

        var view = MappingView.Open(node, "firewall", "The firewall section", FirewallKeys, bag);
        if (view is null)
        {
            return new ParsedFirewall(FirewallSettings.Default, []);
        }

        if (mode == Mode.Guard)
        {
            bag.Warning(Messages.FirewallIgnored(), "firewall", node);
        }

        var allow = ReadPorts(view, "allow", bag);
        var icmp = view.Choice(
            "icmp", IcmpPolicy.Essential, ("essential", IcmpPolicy.Essential), ("all", IcmpPolicy.All), ("none", IcmpPolicy.None));
        var reject = view.Boolean("reject", false);
        var forward = view.Choice("forward", false, ("drop", false), ("accept", true));
        return new ParsedFirewall(new FirewallSettings(allow.Select(p => p.Value).ToList(), icmp, reject, forward), allow);
    }

    private static List<ParsedDoor> ReadDoors(MappingView root, Refuse refuse, ReadContext context)
    {
        var bag = context.Bag;
        var doors = new List<ParsedDoor>();
        var node = root.Get("doors");
        if (node is null)
        {
            bag.Error(Messages.NoDoors(), "doors", null);
            return doors;
        }

        if (node is not YamlMapping mapping)
        {
            bag.Error(Messages.WrongShape("'doors'", "a mapping from door names to doors"), "doors", node);
            return doors;
        }

        if (mapping.Entries.Count == 0)
        {
            bag.Error(Messages.NoDoors(), "doors", node);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, body) in mapping.Entries)
        {
            var path = $"doors.{name.Value}";
            if (!seen.Add(name.Value))
            {
                bag.Error(Messages.DuplicateKey(name.Value), path, name);
                continue;
            }

            if (!NftText.IsDoorName(name.Value))
            {
                bag.Error(Messages.BadDoorName(name.Value), path, name);
            }

            if (DoorReader.Read(name, body, path, refuse, context) is { } door)
            {
                doors.Add(door);
            }
        }

        return doors;
    }

    internal static List<Positioned<PortRange>> ReadPorts(MappingView view, string key, DiagnosticBag bag)
    {
        var result = new List<Positioned<PortRange>>();
        var list = view.ScalarList(key);
        if (list is null)
        {
            return result;
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (PortRange.TryParse(list[i].Value, PortRange.DefaultProtocol, out var range))
            {
                result.Add(new(range, list[i], $"{view.Child(key)}[{i}]"));
            }
            else
            {
                bag.Error(Messages.BadPortRange(list[i].Value), $"{view.Child(key)}[{i}]", list[i]);
            }
        }

        return result;
    }
}
