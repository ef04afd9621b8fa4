using System.Net;
using NftKnock.Core.Model;
using NftKnock.Core.Rotating;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Rotation;
using NftKnock.Server.Tables;

namespace NftKnock.Cli.Enrolment;

/// <summary>One address that completed one of a client's windows, as the door's owner set holds it.</summary>
/// <param name="Family">The owner set's family.</param>
/// <param name="Address">The address that knocked.</param>
/// <param name="ExpiresMs">The time left on the claim.</param>
internal sealed record Owned(Families Family, IPAddress Address, long ExpiresMs);

/// <summary>
/// Who knocked as a client, from the kernel alone: each entry of a door's owner sets is a completed
/// window's last token with the address that completed it, and each token comes from one client's secret.
/// </summary>
internal static class ClientOwners
{
    /// <summary>The owner entries of <paramref name="client"/>'s windows that can still be in the table (claims last three periods).</summary>
    public static List<Owned> Of(TableReading state, Door door, RotatingClient client, DateTimeOffset now)
    {
        var tokens = Tokens(client, door, now);
        var owned = new List<Owned>();
        foreach (var family in new[] { Families.IPv4, Families.IPv6 })
        {
            foreach (var element in state.Elements(Names.Owners(door.Name, family)))
            {
                var parts = element.Value.Split(" . ");
                if (parts.Length == 2 && TryToken(parts[0], out var token)
                    && tokens.Contains(token) && IPAddress.TryParse(parts[1], out var address))
                {
                    owned.Add(new Owned(family, address, element.ExpiresMs ?? 0));
                }
            }
        }

        return owned;
    }

    /// <summary>When the client last completed a window: the newest claim, aged by how long claims last less the time it has left.</summary>
    public static DateTimeOffset? LastKnock(IReadOnlyList<Owned> owned, Door door, DateTimeOffset now) =>
        owned.Count == 0 ? null : now - (Planner.OwnershipSpan(door.Rotating!) - TimeSpan.FromMilliseconds(owned.Max(o => o.ExpiresMs)));

    /// <summary>A token as the listing gives it (see <see cref="LoadedWindows.TryToken"/>).</summary>
    internal static bool TryToken(string text, out ulong token) => LoadedWindows.TryToken(text, out token);

    private static HashSet<ulong> Tokens(RotatingClient client, Door door, DateTimeOffset now)
    {
        var spec = door.Rotating!.Spec(door.Name);
        var current = RotatingDerivation.Window(now, spec.Period);
        var tokens = new HashSet<ulong>();
        for (var window = current - 4; window <= current + 1 && client.Secret.Length > 0; window++)
        {
            tokens.Add(RotatingDerivation.Knocks(client.Secret.Span, spec, window)[^1].Token);
        }

        return tokens;
    }
}
