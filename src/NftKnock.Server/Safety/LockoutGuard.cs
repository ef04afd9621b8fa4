using System.Globalization;
using System.Net;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
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

/// <summary>Tells whether applying a config would hide the SSH port the operator came in on.</summary>
public static class LockoutGuard
{
    /// <summary>
    /// Null when the client can still make new connections to its port after the apply: the port is
    /// not behind a door, or the client is in the door's allow prefixes or holds a grant now.
    /// </summary>
    public static Lockout? Check(ServerConfig config, SshSession session, TableReading? current)
    {
        var behind = config.Doors.Where(d => d.Protect.Any(p => p.Contains(session.ServerPort, Protocol.Tcp))).ToList();
        foreach (var door in behind)
        {
            if (!door.Allow.Any(p => p.Contains(session.Client)) && !Granted(door, session.Client, current))
            {
                return new Lockout(session, door.Name);
            }
        }

        // Firewall mode drops every port it does not open: one outside doors and firewall.allow is hidden too.
        if (behind.Count == 0 && config.Mode == Mode.Firewall
            && !config.Firewall.Allow.Any(p => p.Contains(session.ServerPort, Protocol.Tcp)))
        {
            return new Lockout(session, null);
        }

        return null;
    }

    /// <summary>
    /// True when one of the grant sets the new config keeps for <paramref name="door"/> holds the client's
    /// address or, for a set of a shorter prefix, its network: a grant set that the apply drops (its
    /// prefix length no longer in use) takes its grants with it.
    /// </summary>
    private static bool Granted(Door door, IPAddress client, TableReading? current)
    {
        var family = client.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? Families.IPv4 : Families.IPv6;
        return current is not null && door.Families.HasFlag(family) && door.GrantLengths(family).Any(length =>
            current.Elements(Names.Open(door.Name, family, length)).Any(e => IPAddress.TryParse(e.Value, out var a) && a.Equals(GrantPrefix.Masked(client, length))));
    }
}
