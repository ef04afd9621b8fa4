using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;

namespace NftKnock.Core.Config;

/// <summary>Checks between doors and against firewall.allow: every knock port and protected port has one owner.</summary>
internal static class CrossCheck
{
    /// <summary>A rotating door's range may hold no port number that the config uses elsewhere, whatever its protocol.</summary>
    private static void RotatingRange(ParsedConfig config, ParsedDoor door, DiagnosticBag bag)
    {
        var rotating = door.Rotating!;
        var spec = rotating.Model.Spec(door.Name);
        var range = spec.Ports.PortsText;
        void Check(PortRange ports, string owner)
        {
            var first = Math.Max(ports.First, spec.Ports.First);
            var last = Math.Min(ports.Last, spec.Ports.Last);
            for (var port = first; port <= last; port++)
            {
                if (spec.Allows(port))
                {
                    var hit = new PortRange(first, last, ports.Protocol);
                    bag.Error(Messages.RangeHitsPort(range, hit.ToString(), owner), rotating.PortsPath, rotating.PortsNode);
                    return;
                }
            }
        }

        foreach (var other in config.Doors)
        {
            foreach (var p in other.Protect)
            {
                Check(p.Value, $"a port that door '{other.Name}' protects");
            }

            foreach (var s in other.Sequence)
            {
                Check(new PortRange(s.Value.Port, s.Value.Port, s.Value.Protocol), $"a knock step of door '{other.Name}'");
            }
        }

        if (config.Mode == Mode.Firewall)
        {
            foreach (var a in config.Firewall.Allow)
            {
                Check(a.Value, "a port in firewall.allow");
            }
        }
    }

    public static void Run(ParsedConfig config, DiagnosticBag bag)
    {
        for (var d = 0; d < config.Doors.Count; d++)
        {
            var door = config.Doors[d];
            Steps(config, d, bag);
            if (door.Rotating is not null)
            {
                RotatingRange(config, door, bag);
            }

            if (config.Mode == Mode.Firewall && door.Refuse is { } refuse && refuse.Value != ParsedConfig.DefaultRefuse(config.Mode, config.Firewall.Settings))
            {
                bag.Warning(
                    Messages.RefuseUnlikeFirewall(door.Name, refuse.Value == Refuse.Reset ? "reset" : "drop", config.Firewall.Settings.Reject),
                    refuse.Path,
                    refuse.Node);
            }

            Protect(config, d, bag);
        }
    }

    /// <summary>A knock step of door <paramref name="d"/> may be no protected port, no earlier door's step and no port firewall.allow opens.</summary>
    private static void Steps(ParsedConfig config, int d, DiagnosticBag bag)
    {
        var doors = config.Doors;
        foreach (var step in doors[d].Sequence)
        {
            foreach (var other in doors)
            {
                if (other.Protect.Any(p => p.Value.Contains(step.Value.Port, step.Value.Protocol)))
                {
                    bag.Error(Messages.StepIsProtected(step.Value.ToString(), other.Name), step.Path, step.Node);
                }
            }

            // Report a shared knock port once, on the later door.
            foreach (var earlier in doors.Take(d))
            {
                if (earlier.Sequence.Any(s => s.Value == step.Value))
                {
                    bag.Error(Messages.StepOfOtherDoor(step.Value.ToString(), earlier.Name), step.Path, step.Node);
                }
            }

            if (config.Mode == Mode.Firewall
                && config.Firewall.Allow.Any(a => a.Value.Contains(step.Value.Port, step.Value.Protocol)))
            {
                bag.Error(Messages.PortIsFirewallAllowed(step.Value.ToString()), step.Path, step.Node);
            }
        }
    }

    /// <summary>A protected range of door <paramref name="d"/> may overlap none of its own earlier ranges, no earlier door's and nothing firewall.allow opens.</summary>
    private static void Protect(ParsedConfig config, int d, DiagnosticBag bag)
    {
        var door = config.Doors[d];
        for (var p = 0; p < door.Protect.Count; p++)
        {
            var range = door.Protect[p];
            foreach (var earlier in door.Protect.Take(p).Where(e => e.Value.Overlaps(range.Value)))
            {
                bag.Error(Messages.ProtectOverlap(range.Value.ToString(), earlier.Value.ToString(), door.Name), range.Path, range.Node);
            }

            foreach (var earlier in config.Doors.Take(d))
            {
                foreach (var clash in earlier.Protect.Where(e => e.Value.Overlaps(range.Value)))
                {
                    bag.Error(Messages.ProtectOverlap(range.Value.ToString(), clash.Value.ToString(), earlier.Name), range.Path, range.Node);
                }
            }

            if (config.Mode == Mode.Firewall && config.Firewall.Allow.Any(a => a.Value.Overlaps(range.Value)))
            {
                bag.Error(Messages.PortIsFirewallAllowed(range.Value.ToString()), range.Path, range.Node);
            }
        }
    }
}
