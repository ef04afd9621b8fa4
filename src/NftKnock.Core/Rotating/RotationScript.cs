using System.Globalization;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Core.Rotating;

/// <summary>One knock a rotating door accepts now: which client and window it belongs to, and how long it stays.</summary>
public sealed record RotationElement(string Client, long Window, int Step, RotatingKnock Knock, TimeSpan Timeout);

/// <summary>
/// The elements of the rotating map at one instant: windows t-1, t and t+1 of every client, so
/// a client whose clock is a period off still gets in. Pure: the caller reads the clock once.
/// </summary>
public static class RotationScript
{
    /// <summary>
    /// The elements for <paramref name="door"/> at <paramref name="now"/>. Window w stays valid until
    /// window w+1 ends, but never longer than two periods from now, so that the door closes within
    /// two periods once nobody writes again. Windows below <paramref name="floor"/> were served before
    /// and are never written again (see <see cref="ServedWindows"/>).
    /// </summary>
    public static IReadOnlyList<RotationElement> Elements(Door door, DateTimeOffset now, long floor = long.MinValue)
    {
        var rotating = door.Rotating ?? throw new ArgumentException($"Door {door.Name} is not rotating.", nameof(door));
        var spec = rotating.Spec(door.Name);
        var current = RotatingDerivation.Window(now, rotating.Period);
        var cap = now + (rotating.Period * 2);
        var elements = new List<RotationElement>();
        foreach (var client in rotating.Clients)
        {
            if (client.Secret.IsEmpty)
            {
                throw new ArgumentException($"The secret of client {client.Name} of door {door.Name} was not read.", nameof(door));
            }

            for (var window = Math.Max(current - 1, floor); window <= current + 1; window++)
            {
                var end = RotatingDerivation.WindowStart(window + 2, rotating.Period);
                var timeout = (end < cap ? end : cap) - now;
                if (timeout < TimeSpan.FromMilliseconds(1))
                {
                    continue;
                }

                var knocks = RotatingDerivation.Knocks(client.Secret.Span, spec, window);
                for (var k = 0; k < knocks.Count; k++)
                {
                    elements.Add(new RotationElement(client.Name, window, k + 1, knocks[k], TimeSpan.FromMilliseconds(Math.Floor(timeout.TotalMilliseconds))));
                }
            }
        }

        return elements;
    }

    /// <summary>
    /// The new contents of the rotating map for <paramref name="doors"/>: written as a flush and a refill in
    /// one transaction, so a removed client's knocks go at once and nobody sees an empty map. A door's
    /// windows below its entry in <paramref name="floors"/> are left out.
    /// </summary>
    public static MapFill Fill(IEnumerable<Door> doors, DateTimeOffset now, IReadOnlyDictionary<string, long>? floors = null)
    {
        var entries = new List<MapEntry>();
        foreach (var door in doors.Where(d => d.Rotating is not null))
        {
            foreach (var e in Elements(door, now, floors?.GetValueOrDefault(door.Name, long.MinValue) ?? long.MinValue))
            {
                entries.Add(new MapEntry([e.Knock.Port.ToString(CultureInfo.InvariantCulture), e.Knock.TokenHex], Verdict.Goto(Target(door, e.Step, e.Client)), e.Timeout));
            }
        }

        return new MapFill(Names.Rotating, entries);
    }

    /// <summary>
    /// The step chain a knock of <paramref name="client"/> goes to: the door's chain for step
    /// <paramref name="step"/>, but the client's own for the last step of a door with <c>clients:</c>,
    /// so the kernel knows whose window completed.
    /// </summary>
    public static string Target(Door door, int step, string client) => door.StepChainOf(step, client).Name;

    /// <summary>Every step chain the map points at for <paramref name="door"/>: the table must have them all before rotate writes the door.</summary>
    public static IEnumerable<string> Targets(Door door) => door.StepChains().Select(c => c.Name);

    /// <summary>The batch that replaces every rotating knock of <paramref name="doors"/> (see <see cref="Fill"/>).</summary>
    public static string Build(string table, IEnumerable<Door> doors, DateTimeOffset now, IReadOnlyDictionary<string, long>? floors = null) =>
        NftWriter.Fill(table, Fill(doors, now, floors));

    /// <summary>When the next window of any of <paramref name="doors"/> starts.</summary>
    public static DateTimeOffset NextBoundary(IEnumerable<Door> doors, DateTimeOffset now) =>
        doors.Where(d => d.Rotating is not null)
            .Select(d => RotatingDerivation.WindowStart(RotatingDerivation.Window(now, d.Rotating!.Period) + 1, d.Rotating.Period))
            .Min();
}
