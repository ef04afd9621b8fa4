using System.Globalization;
using System.Net;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Safety;

/// <summary>The SSH session the command runs in, from <c>SSH_CONNECTION</c> ("client port server port").</summary>
public sealed record SshSession(IPAddress Client, int ServerPort)
{
    /// <summary>Parses the variable; null when unset or malformed.</summary>
    public static SshSession? Parse(string? value)
    {
        var parts = value?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts is not { Length: 4 }
            || !IPAddress.TryParse(parts[0], out var client)
            || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }

        if (client.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            client.ScopeId = 0;
        }

        return new SshSession(client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client, port);
    }
}

/// <summary>The new ruleset would hide the session's port: <see cref="Door"/> is null in firewall mode without a door.</summary>
public sealed record Lockout(SshSession Session, string? Door);

/// <summary>
/// Tells whether applying a config would newly hide the SSH port the operator came in on. It compares
/// two models of the same type: the planned table and the loaded one read back, so an apply that hides
/// the port no more than the loaded table already does (re-applying the same config, removing another
/// client) goes ahead.
/// </summary>
public static class LockoutGuard
{
    /// <summary>
    /// Null when the apply leaves the client able to make new connections to its port (the port is not
    /// behind a door, the client is in the door's allow prefixes or holds a grant now), or when the loaded
    /// table <paramref name="current"/> already hides the port from it just the same.
    /// </summary>
    public static Lockout? Check(ServerConfig config, SshSession session, TableReading? current) =>
        Check(Planner.Plan(config).Model, session, current);

    /// <summary>As <see cref="Check(ServerConfig, SshSession, TableReading?)"/>, with the planned table.</summary>
    public static Lockout? Check(NftTable planned, SshSession session, TableReading? current)
    {
        if (Hides(planned, session, current) is not { } lockout)
        {
            return null;
        }

        // The session got in before the loaded table hid its port (a grant that expired since, with the
        // connection kept): the apply changes nothing for it, and refusing would only block repairs.
        return current is not null && Hides(current.Model, session, current) is not null ? null : lockout;
    }

    /// <summary>
    /// How <paramref name="model"/> hides the session's port from the session's address, or null when it does
    /// not. Grants are live state, so both models are checked against the loaded table's grant sets.
    /// </summary>
    private static Lockout? Hides(NftTable model, SshSession session, TableReading? live)
    {
        if (ModelPorts.GuardOf(model, session.ServerPort) is { } door)
        {
            // Audit mode lets every new connection through: it hides nothing, and leaving it is what can lock out.
            if (Planner.Audits(model, door))
            {
                return null;
            }

            var family = session.Client.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? Families.IPv4 : Families.IPv6;
            var allowed = model.Find<NftSet>(Names.Allow(door, family))?.Elements.Any(e => ModelPorts.Covers(e, session.Client)) ?? false;
            return allowed || Granted(model, door, family, session.Client, live) ? null : new Lockout(session, door);
        }

        // Firewall mode drops every port it does not open: one outside doors and firewall.allow is hidden too.
        var firewall = model.Find<NftChain>(Names.Input) is { Hook.Policy: "drop" };
        var open = model.Find<NftSet>(Names.FirewallAllow)?.Elements.Any(e => ModelPorts.Matches(e.Split(" . "), session.ServerPort)) ?? false;
        return firewall && !open ? new Lockout(session, null) : null;
    }

    /// <summary>
    /// True when one of the grant sets <paramref name="model"/> has for the door holds the client's address or,
    /// for a set of a shorter prefix, its network: a grant set that the apply drops takes its grants with it.
    /// </summary>
    private static bool Granted(NftTable model, string door, Families family, IPAddress client, TableReading? live) =>
        live is not null && model.Sets.Any(set =>
            Names.TryParse(set.Name, out var o) && o.Door == door && o.Role == DoorRole.Open && o.Family == family
            && live.Elements(set.Name).Any(e => IPAddress.TryParse(e.Value, out var a)
                && a.Equals(GrantPrefix.Masked(client, o.Number == 0 ? family.AddressBits() : o.Number))));
}
