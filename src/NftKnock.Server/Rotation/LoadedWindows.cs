using System.Globalization;
using NftKnock.Core.Model;
using NftKnock.Core.Rotating;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Rotation;

/// <summary>
/// Which of a door's windows a loaded table shows were served, from the kernel alone: the rotating map
/// holds the knocks last written, the claims and owner sets the last tokens of windows someone completed,
/// and every token comes from one client's secret and one window.
/// </summary>
public static class LoadedWindows
{
    /// <summary>
    /// How many windows either side of now are looked for: map entries last two periods and claims three,
    /// so anything further back is gone from the table, and further ahead only a clock stepped far back leaves.
    /// </summary>
    public const int Reach = 5;

    /// <summary>
    /// The newest window of <paramref name="door"/> whose knocks or claims <paramref name="table"/> holds
    /// (read with its elements); null when it holds none of them.
    /// </summary>
    public static long? Newest(TableReading table, Door door, DateTimeOffset now)
    {
        var tokens = Tokens(table, door.Name);
        var rotating = door.Rotating!;
        if (tokens.Count == 0)
        {
            return null;
        }

        var spec = rotating.Spec(door.Name);
        var current = RotatingDerivation.Window(now, rotating.Period);
        for (var window = current + Reach; window >= current - Reach; window--)
        {
            foreach (var client in rotating.Clients.Where(c => !c.Secret.IsEmpty))
            {
                if (RotatingDerivation.Knocks(client.Secret.Span, spec, window).Any(k => tokens.Contains(k.Token)))
                {
                    return window;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A token as the listing gives it: nft -j prints a 64-bit value as a signed number, so a token with
    /// its top bit set (every other one) is negative there.
    /// </summary>
    public static bool TryToken(string text, out ulong token)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var signed))
        {
            token = unchecked((ulong)signed);
            return true;
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out token);
    }

    /// <summary>Every token in the rotating map (<c>port . token</c>) and in the door's claims (<c>token</c>) and owner sets (<c>token . address</c>).</summary>
    private static HashSet<ulong> Tokens(TableReading table, string door)
    {
        var tokens = new HashSet<ulong>();
        foreach (var element in table.Elements(Names.Rotating))
        {
            if (element.Value.Split(" . ") is [_, var text] && TryToken(text, out var token))
            {
                tokens.Add(token);
            }
        }

        var claims = table.SetState.Keys.Where(name => Names.TryParse(name, out var o) && o.Door == door && o.Role is DoorRole.Claims or DoorRole.Owners);
        foreach (var element in claims.SelectMany(table.Elements))
        {
            if (TryToken(element.Value.Split(" . ")[0], out var token))
            {
                tokens.Add(token);
            }
        }

        return tokens;
    }
}
