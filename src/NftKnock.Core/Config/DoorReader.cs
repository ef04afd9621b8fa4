using System.Net;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;
using NftKnock.Core.Yaml;

namespace NftKnock.Core.Config;

/// <summary>Reads one door and the checks that concern it alone.</summary>
internal static class DoorReader
{
    private static readonly TimeSpan MinStepTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxStepTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MinOpenFor = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxOpenFor = TimeSpan.FromHours(24);

    /// <summary>
    /// The keys of a door. A new key is named here, read in <see cref="Read"/> into the one
    /// <see cref="Door"/> it builds, and documented in docs/configuration.md.
    /// </summary>
    internal static readonly string[] Keys =
    [
        "protect", "sequence", "rotating", "step-timeout", "open-for", "refresh", "close-on-connect", "families", "allow", "grant-prefix", "log",
        "log-group", "refuse", .. LimitReader.Keys,
    ];

    /// <summary>Reads the door under <paramref name="name"/>; <paramref name="refuse"/> is the mode's answer for a door that names none.</summary>
    public static ParsedDoor? Read(YamlScalar name, YamlNode body, string path, Refuse refuse, ReadContext context)
    {
        var bag = context.Bag;
        var view = MappingView.Open(body, path, $"The door '{name.Value}'", Keys, bag);
        if (view is null)
        {
            return null;
        }

        var protect = ReadProtect(view, name, path, bag);
        var grantPrefix = GrantReader.Prefix(view, GrantPrefix.Full, bag) ?? GrantPrefix.Full;
        var (sequence, rotating) = ReadKnocks(view, name, grantPrefix, context);
        var stepTimeout = view.Duration("step-timeout", MinStepTimeout, MaxStepTimeout) ?? Door.DefaultStepTimeout;
        var openFor = view.Duration("open-for", MinOpenFor, MaxOpenFor) ?? Door.DefaultOpenFor;
        var refresh = view.Choice("refresh", Refresh.Update, ("update", Refresh.Update), ("keep", Refresh.Keep));
        var closeOnConnect = ReadCloseOnConnect(view, protect, bag);
        var families = ReadFamilies(view, bag);
        var allow = ReadPrefixes(view, bag);
        var log = view.Boolean("log", true);
        var refuseKey = view.Get("refuse") is { } refuseNode
            ? new Positioned<Refuse>(view.Choice("refuse", Refuse.Drop, ("drop", Refuse.Drop), ("reset", Refuse.Reset)), refuseNode, view.Child("refuse"))
            : (Positioned<Refuse>?)null;
        var door = new Door(
            name.Value, [.. protect.Select(p => p.Value)], [.. sequence.Select(s => s.Value)], stepTimeout, openFor, refresh, closeOnConnect, families, allow, log)
        {
            Rotating = rotating?.Model,
            Refuse = refuseKey?.Value ?? refuse,
            GrantPrefix = grantPrefix,
            LogGroup = GrantReader.LogGroup(view, log, bag),
            Limit = LimitReader.Read(view, context) ?? TimeLimit.None,
        };
        return new ParsedDoor(door, name, protect, sequence) { Rotating = rotating, Refuse = refuseKey };
    }

    /// <summary>The protected ports, which a door must have.</summary>
    private static List<Positioned<PortRange>> ReadProtect(MappingView view, YamlScalar name, string path, DiagnosticBag bag)
    {
        var protect = ConfigReader.ReadPorts(view, "protect", bag);
        if (view.Get("protect") is null)
        {
            bag.Error(Messages.MissingKey($"The door '{name.Value}'", "protect", "[22/tcp]"), path, name);
        }
        else if (view.Get("protect") is YamlSequence { Items.Count: 0 })
        {
            bag.Error(Messages.EmptyProtect(), view.Child("protect"), view.Get("protect"));
        }

        return protect;
    }

    /// <summary>How the door is knocked: a static sequence, or rotating knocks (never both).</summary>
    private static (List<Positioned<Step>> Sequence, ParsedRotating? Rotating) ReadKnocks(MappingView view, YamlScalar name, GrantPrefix grantPrefix, ReadContext context)
    {
        if (view.Get("rotating") is not { } rotatingNode)
        {
            return (SequenceReader.Read(view, name, context.Bag), null);
        }

        if (view.Get("sequence") is { } both)
        {
            context.Bag.Error(Messages.SequenceAndRotating(name.Value), view.Child("sequence"), both);
        }

        return ([], RotatingReader.Read(name.Value, rotatingNode, view.Child("rotating"), grantPrefix, context));
    }

    /// <summary><c>close-on-connect</c>, which only TCP's handshake can tell.</summary>
    private static bool ReadCloseOnConnect(MappingView view, List<Positioned<PortRange>> protect, DiagnosticBag bag)
    {
        var closeOnConnect = view.Boolean("close-on-connect", false);
        if (closeOnConnect)
        {
            foreach (var udp in protect.Where(p => p.Value.Protocol == Protocol.Udp))
            {
                bag.Error(Messages.CloseOnConnectNeedsTcp(udp.Value.ToString()), udp.Path, udp.Node);
            }
        }

        return closeOnConnect;
    }

    private static Families ReadFamilies(MappingView view, DiagnosticBag bag)
    {
        var list = view.ScalarList("families");
        if (list is null)
        {
            return Families.Both;
        }

        var families = Families.None;
        foreach (var item in list)
        {
            switch (item.Value.ToLowerInvariant())
            {
                case "ipv4":
                    families |= Families.IPv4;
                    break;
                case "ipv6":
                    families |= Families.IPv6;
                    break;
                default:
                    bag.Error(Messages.BadFamily(item.Value), view.Child("families"), item);
                    break;
            }
        }

        if (list.Count == 0)
        {
            bag.Error(Messages.NoFamilies(), view.Child("families"), view.Get("families"));
        }

        return families == Families.None ? Families.Both : families;
    }

    private static List<IPNetwork> ReadPrefixes(MappingView view, DiagnosticBag bag)
    {
        var result = new List<IPNetwork>();
        var list = view.ScalarList("allow");
        if (list is null)
        {
            return result;
        }

        for (var i = 0; i < list.Count; i++)
        {
            switch (Prefixes.Parse(list[i].Value, out var network))
            {
                case AddressProblem.None:
                    result.Add(network);
                    break;
                case AddressProblem.ZoneIndex:
                    bag.Error(Messages.PrefixZoneIndex(list[i].Value), $"{view.Child("allow")}[{i}]", list[i]);
                    break;
                default:
                    bag.Error(Messages.BadPrefix(list[i].Value), $"{view.Child("allow")}[{i}]", list[i]);
                    break;
            }
        }

        return result;
    }
}
