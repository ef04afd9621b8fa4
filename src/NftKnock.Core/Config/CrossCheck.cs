using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;

namespace NftKnock.Core.Config;

/// <summary>Checks between doors and against firewall.allow: every knock port and protected port has one owner.</summary>
internal static class CrossCheck
{
    public static void Run(ParsedConfig config, DiagnosticBag bag)
    {
        var doors = config.Doors;
        for (var d = 0; d < doors.Count; d++)
        {
            var door = doors[d];
            foreach (var step in door.Sequence)
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

            for (var p = 0; p < door.Protect.Count; p++)
            {
                var range = door.Protect[p];
                foreach (var earlier in door.Protect.Take(p).Where(e => e.Value.Overlaps(range.Value)))
                {
                    bag.Error(Messages.ProtectOverlap(range.Value.ToString(), earlier.Value.ToString(), door.Name), range.Path, range.Node);
                }

                foreach (var earlier in doors.Take(d))
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
}
