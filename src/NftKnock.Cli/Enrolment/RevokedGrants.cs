using System.Globalization;
using System.Net;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Tables;

namespace NftKnock.Cli.Enrolment;

/// <summary>The grants a revoked client's knocks opened that were closed, and those kept because another client holds them too.</summary>
internal sealed record GrantsClosed(IReadOnlyList<string> Closed, IReadOnlyList<string> Kept);

/// <summary>
/// Closes the grants a revoked client opened. The kernel knows who opened a grant through the owner sets:
/// each completed window's last token with the address that completed it, and each token comes from one
/// client's secret. So the revoked client's tokens of the windows whose claims can still be in the table
/// name its addresses; a grant is closed unless another client's tokens name an address it covers.
/// </summary>
internal static class RevokedGrants
{
    public static async Task<GrantsClosed> CloseAsync(CliContext context, string configPath, RevokeOutcome revoked, CancellationToken cancel)
    {
        var table = ConfigLoader.Read(configPath, readSecrets: false, context.Time.GetUtcNow(), out _)?.Config?.Table ?? ServerConfig.DefaultTable;
        var tables = new TableService(context.Nftables());
        if (await tables.ReadAsync(table, cancel) is not { } state)
        {
            return new GrantsClosed([], []);
        }

        var (deletes, closed, kept) = Plan(state, revoked.Door!, revoked.Client!, context.Time.GetUtcNow());
        if (deletes.Count > 0)
        {
            var script = string.Concat(deletes.Select(d => $"delete element inet {table} {d.Set} {{ {d.Value} }}\n"));
            await context.Nftables().RunAsync(script, checkOnly: false, cancel);
        }

        return new GrantsClosed(closed, kept);
    }

    /// <summary>Pure: what to delete from which grant set, from the table as read and the door as the config had it.</summary>
    internal static (List<(string Set, string Value)> Deletes, List<string> Closed, List<string> Kept) Plan(TableReading state, Door door, RotatingClient revoked, DateTimeOffset now)
    {
        var deletes = new List<(string, string)>();
        var closed = new List<string>();
        var kept = new List<string>();
        var mine = ClientOwners.Of(state, door, revoked, now);
        var others = door.Clients.Where(c => c.Name != revoked.Name).SelectMany(c => ClientOwners.Of(state, door, c, now)).ToList();
        foreach (var family in new[] { Families.IPv4, Families.IPv6 })
        {
            var theirs = others.Where(o => o.Family == family).Select(o => o.Address).ToList();
            foreach (var address in mine.Where(o => o.Family == family).Select(o => o.Address).Distinct())
            {
                var length = door.GrantPrefixOf(revoked).For(family);
                var grant = new IPNetwork(Masked(address, length), length);
                var name = Names.Open(door.Name, family, length);
                var value = length == family.AddressBits() ? address.ToString() : grant.BaseAddress.ToString();
                if (theirs.Any(grant.Contains))
                {
                    kept.Add(value);
                }
                else if (state.Elements(name).Any(e => Same(e.Value, value, length)))
                {
                    deletes.Add((name, value));
                    closed.Add(length == family.AddressBits() ? value : $"{value}/{length.ToString(CultureInfo.InvariantCulture)}");
                }
            }
        }

        return (deletes, closed, kept);
    }

    private static IPAddress Masked(IPAddress address, int length)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(length - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }

    private static bool Same(string listed, string value, int length) =>
        listed == value || listed == $"{value}/{length.ToString(CultureInfo.InvariantCulture)}";
}
