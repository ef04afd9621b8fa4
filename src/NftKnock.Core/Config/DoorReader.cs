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

    public static ParsedDoor? Read(YamlScalar name, YamlNode body, string path, SecretReader? secrets, DiagnosticBag bag)
    {
        var view = MappingView.Open(body, path, $"The door '{name.Value}'", ConfigReader.DoorKeys, bag);
        if (view is null)
        {
            return null;
        }

        var protect = ConfigReader.ReadPorts(view, "protect", bag);
        if (view.Get("protect") is null)
        {
            bag.Error(Messages.MissingKey($"The door '{name.Value}'", "protect", "[22/tcp]"), path, name);
        }
        else if (view.Get("protect") is YamlSequence { Items.Count: 0 })
        {
            bag.Error(Messages.EmptyProtect(), view.Child("protect"), view.Get("protect"));
        }

        var grantPrefix = GrantReader.Prefix(view, GrantPrefix.Full, bag) ?? GrantPrefix.Full;
        ParsedRotating? rotating = null;
        List<Positioned<Step>> sequence = [];
        if (view.Get("rotating") is { } rotatingNode)
        {
            if (view.Get("sequence") is { } both)
            {
                bag.Error(Messages.SequenceAndRotating(name.Value), view.Child("sequence"), both);
            }

            rotating = RotatingReader.Read(name.Value, rotatingNode, view.Child("rotating"), grantPrefix, secrets, bag);
        }
        else
        {
            sequence = ReadSequence(view, name, bag);
        }

        var stepTimeout = view.Duration("step-timeout", MinStepTimeout, MaxStepTimeout) ?? Door.DefaultStepTimeout;
        var openFor = view.Duration("open-for", MinOpenFor, MaxOpenFor) ?? Door.DefaultOpenFor;
        var refresh = view.Choice("refresh", Refresh.Update, ("update", Refresh.Update), ("keep", Refresh.Keep));
        var closeOnConnect = view.Boolean("close-on-connect", false);
        if (closeOnConnect)
        {
            foreach (var udp in protect.Where(p => p.Value.Protocol == Protocol.Udp))
            {
                bag.Error(Messages.CloseOnConnectNeedsTcp(udp.Value.ToString()), udp.Path, udp.Node);
            }
        }

        var families = ReadFamilies(view, bag);
        var allow = ReadPrefixes(view, bag);
        var log = view.Boolean("log", true);
        var refuse = view.Get("refuse") is { } refuseNode
            ? new Positioned<Refuse>(view.Choice("refuse", Refuse.Drop, ("drop", Refuse.Drop), ("reset", Refuse.Reset)), refuseNode, view.Child("refuse"))
            : (Positioned<Refuse>?)null;
        return new ParsedDoor(
            name.Value, name, protect, sequence, stepTimeout, openFor, refresh, closeOnConnect, families, allow, log)
        {
            Rotating = rotating,
            Refuse = refuse,
            GrantPrefix = grantPrefix,
            LogGroup = GrantReader.LogGroup(view, log, bag),
        };
    }

    private static List<Positioned<Step>> ReadSequence(MappingView view, YamlScalar name, DiagnosticBag bag)
    {
        var steps = new List<Positioned<Step>>();
        var list = view.ScalarList("sequence");
        if (view.Get("sequence") is null)
        {
            bag.Error(Messages.MissingKey($"The door '{name.Value}'", "sequence", "[7000/udp, 8000/tcp, 9000/udp]"), view.Path, name);
            return steps;
        }

        if (list is null)
        {
            return steps;
        }

        if (list.Count == 0)
        {
            bag.Error(Messages.EmptySequence(), view.Child("sequence"), view.Get("sequence"));
            return steps;
        }

        if (list.Count > Step.MaxPerSequence)
        {
            // Said once; checking each step of a long list for repeats would cost quadratic time for nothing.
            bag.Error(Messages.TooManySteps(list.Count), view.Child("sequence"), view.Get("sequence"));
            return steps;
        }

        for (var i = 0; i < list.Count; i++)
        {
            var path = $"{view.Child("sequence")}[{i}]";
            if (!Step.TryParse(list[i].Value, out var step))
            {
                bag.Error(Messages.BadStep(list[i].Value), path, list[i]);
                continue;
            }

            var first = steps.FindIndex(s => s.Value == step);
            if (first >= 0)
            {
                bag.Error(Messages.RepeatedStep(step.ToString(), IndexOf(list, steps[first].Node) + 1), path, list[i]);
                continue;
            }

            steps.Add(new(step, list[i], path));
        }

        // Sweep warnings only make sense for a sequence that is otherwise right.
        var written = view.Get("sequence") is YamlSequence sequence ? sequence.Items.Count : 1;
        if (steps.Count == written && written <= Step.MaxPerSequence)
        {
            SweepWarnings(steps, view, bag);
        }

        return steps;
    }

    private static void SweepWarnings(List<Positioned<Step>> steps, MappingView view, DiagnosticBag bag)
    {
        var at = view.Get("sequence");
        if (steps.Count < 3)
        {
            bag.Warning(Messages.FewSteps(steps.Count), view.Child("sequence"), at);
        }
        else if (Ordered(steps, (a, b) => a < b))
        {
            bag.Warning(Messages.Monotonic("rising"), view.Child("sequence"), at);
        }
        else if (Ordered(steps, (a, b) => a > b))
        {
            bag.Warning(Messages.Monotonic("falling"), view.Child("sequence"), at);
        }

        for (var i = 1; i < steps.Count; i++)
        {
            if (Math.Abs(steps[i].Value.Port - steps[i - 1].Value.Port) < 100)
            {
                bag.Warning(
                    Messages.NeighbouringSteps(steps[i - 1].Value.ToString(), steps[i].Value.ToString()),
                    steps[i].Path,
                    steps[i].Node);
            }
        }
    }

    private static int IndexOf(IReadOnlyList<YamlScalar> list, YamlNode node)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (ReferenceEquals(list[i], node))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Ordered(List<Positioned<Step>> steps, Func<int, int, bool> before)
    {
        for (var i = 1; i < steps.Count; i++)
        {
            if (!before(steps[i - 1].Value.Port, steps[i].Value.Port))
            {
                return false;
            }
        }

        return true;
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
