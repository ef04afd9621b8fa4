using System.Net;
using System.Net.Sockets;

namespace NftKnock.Cli;

/// <summary>
/// The name a printed client profile gives this server when no --host says: the fully qualified name,
/// which a client elsewhere can resolve, else the short host name, which it often cannot.
/// </summary>
public static class ServerName
{
    /// <summary>This machine's names: the short host name and, when the resolver knows one, the fully qualified name.</summary>
    public static (string Short, string? Qualified) OfThisMachine()
    {
        var name = Dns.GetHostName();
        if (name.Contains('.', StringComparison.Ordinal))
        {
            return (name, name);
        }

        try
        {
            // getaddrinfo's canonical name: /etc/hosts' first name for the address, or DNS's.
            var canonical = Dns.GetHostEntry(name).HostName;
            return (name, canonical.Contains('.', StringComparison.Ordinal) && !canonical.StartsWith("localhost", StringComparison.OrdinalIgnoreCase) ? canonical : null);
        }
        catch (SocketException)
        {
            return (name, null);
        }
    }

    /// <summary>
    /// <paramref name="given"/> when there is one; else the fully qualified name or the short name,
    /// after a line on stderr saying which was used.
    /// </summary>
    public static string Choose(CliContext context, string? given)
    {
        if (given is not null)
        {
            return given;
        }

        var (name, line) = Pick(context);
        context.Error.WriteLine(line);
        return name;
    }

    /// <summary>The fully qualified name or else the short name, and the line that says which it is.</summary>
    public static (string Name, string Line) Pick(CliContext context)
    {
        var (shortName, qualified) = context.HostNames();
        return qualified is null ? (shortName, Texts.HostShortName(shortName)) : (qualified, Texts.HostQualifiedName(qualified));
    }
}
