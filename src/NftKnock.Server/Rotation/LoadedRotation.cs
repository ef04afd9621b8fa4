using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Rotation;

/// <summary>
/// What rotate may write: the config's rotating doors cut down to what the loaded table can take.
/// A client whose last-step chain is not loaded (its line saved before apply, or rolled back by apply
/// --confirm) is left out instead of the whole door, so every loaded client keeps getting in.
/// </summary>
/// <param name="Doors">The doors to write, each with only its loaded clients.</param>
/// <param name="Warnings">What the config names that is not loaded, and what is loaded that the config no longer names.</param>
public sealed record LoadedRotation(IReadOnlyList<Door> Doors, IReadOnlyList<string> Warnings)
{
    /// <summary>Cuts <paramref name="configured"/> (rotating doors) down to what <paramref name="table"/> has loaded.</summary>
    public static LoadedRotation Of(IReadOnlyList<Door> configured, TableReading table)
    {
        var doors = new List<Door>();
        var warnings = new List<string>();
        foreach (var door in configured)
        {
            // The shared step chains (every step of a single-secret door, all but the last with clients) must all
            // be loaded, and at least one chain of the door. The planner declares them only in the batch that
            // declares the rotating map they are reached from, so the map need not be listed.
            var chains = door.StepChains().ToList();
            if (!chains.Where(c => c.Client is null).All(c => table.HasChain(c.Name)) || !chains.Any(c => table.HasChain(c.Name)))
            {
                warnings.Add(ServerTexts.DoorNotLoaded(door.Name));
                continue;
            }

            if (door.Clients.Count == 0)
            {
                doors.Add(door);
                continue;
            }

            var ready = chains.Where(c => c.Client is not null && table.HasChain(c.Name)).Select(c => c.Client).ToHashSet(StringComparer.Ordinal);
            var loaded = door.Clients.Where(c => ready.Contains(c.Name)).ToList();
            var missing = door.Clients.Except(loaded).Select(c => c.Name).ToList();
            if (missing.Count > 0)
            {
                warnings.Add(ServerTexts.ClientsNotLoaded(door.Name, missing));
            }

            if (Unconfigured(door, table) is { Count: > 0 } stale)
            {
                warnings.Add(ServerTexts.ClientsNoLongerConfigured(door.Name, stale));
            }

            if (loaded.Count > 0)
            {
                doors.Add(door with { Rotating = door.Rotating! with { Clients = loaded } });
            }
        }

        return new LoadedRotation(doors, warnings);
    }

    /// <summary>Whether <paramref name="table"/> has a last-step chain of a client of <paramref name="doors"/> that the config does not name.</summary>
    public static bool HasUnconfigured(IReadOnlyList<Door> doors, TableReading table) =>
        doors.Any(d => d.Clients.Count > 0 && Unconfigured(d, table).Count > 0);

    /// <summary>
    /// Clients whose last-step chain is loaded for <paramref name="door"/> but whom the config does not name,
    /// by the name their grants counter's comment keeps (the chain only has the name's hash).
    /// </summary>
    private static List<string> Unconfigured(Door door, TableReading table)
    {
        var named = door.Clients.Select(c => Names.ClientId(c.Name)).ToHashSet(StringComparer.Ordinal);
        return table.ChainState.Keys
            .Select(chain => Names.TryParse(chain, out var o) && o.Door == door.Name && o.Role == DoorRole.Step && o.Client is { } id && !named.Contains(id) ? id : null)
            .OfType<string>()
            .Select(id => table.Model.Find<NftCounter>(Names.Format(new DoorObject(door.Name, DoorRole.Counter, Counter: CounterKind.Grants, Client: id)))?.Comment ?? id)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
