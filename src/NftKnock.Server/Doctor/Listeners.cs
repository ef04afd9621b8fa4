using System.Globalization;
using NftKnock.Core.Model;
using NftKnock.Server.Host;

namespace NftKnock.Server.Doctor;

/// <summary>Which local ports have a listening socket, read from <c>/proc/net/{tcp,tcp6,udp,udp6}</c>.</summary>
public static class Listeners
{
    /// <summary>The check's name.</summary>
    public const string Name = ServerTexts.CheckNames.Listeners;

    /// <summary>Listening TCP ports and bound UDP ports in a <c>/proc/net/*</c> file's text.</summary>
    public static IEnumerable<int> Parse(string text, Protocol protocol)
    {
        // TCP_LISTEN is state 0A; an unconnected UDP socket shows as 07 (TCP_CLOSE).
        var listening = protocol == Protocol.Tcp ? "0A" : "07";
        foreach (var line in text.Split('\n').Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 3 && fields[3] == listening && fields[1].LastIndexOf(':') is var colon and > 0
                && int.TryParse(fields[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port))
            {
                yield return port;
            }
        }
    }

    /// <summary>The listening ports of the host's network namespace, from its <c>/proc/net</c> socket tables.</summary>
    public static IReadOnlySet<(Protocol Protocol, int Port)> Read(IHostProbe host)
    {
        var ports = new HashSet<(Protocol, int)>();
        foreach (var (file, protocol) in new[] { ("tcp", Protocol.Tcp), ("tcp6", Protocol.Tcp), ("udp", Protocol.Udp), ("udp6", Protocol.Udp) })
        {
            if (host.ReadProcNet(file) is { } text)
            {
                ports.UnionWith(Parse(text, protocol).Select(p => (protocol, p)));
            }
        }

        return ports;
    }

    /// <summary>Warns for each protected range that nothing listens on.</summary>
    public static DoctorCheck Check(ServerConfig config, IReadOnlySet<(Protocol Protocol, int Port)> listening)
    {
        var silent = config.Doors
            .SelectMany(d => d.Protect.Select(p => (Door: d.Name, Range: p)))
            .Where(x => !listening.Any(l => x.Range.Contains(l.Port, l.Protocol)))
            .ToList();
        if (silent.Count == 0)
        {
            return DoctorCheck.Pass(Name, ServerTexts.ListenersOk);
        }

        var list = silent.Select(s => ServerTexts.SilentRange(s.Range, s.Door));
        return DoctorCheck.Warn(Name, ServerTexts.NothingListens(list), ServerTexts.NothingListensFix);
    }
}
