using System.Globalization;
using System.Net;
using System.Net.Sockets;

// dotnet-floor HOST PORT [KNOCK...]: sends each KNOCK in order, back to back, then makes one
// blocking TCP connect to PORT and exits 0 (1 when the connect fails). A KNOCK is 7000/udp (an
// empty datagram), 8000/tcp (one SYN: a connect started and closed at once) or 23563/udp:HEX (a
// datagram whose payload is those bytes, as a rotating door's knock carries). With no KNOCK it
// sends one empty datagram to port 7000, as it always did. No parsing beyond that, no
// derivation, no retries, no relay: the least a .NET program does to knock and connect.
var address = IPAddress.Parse(args[0]);
string[] knocks = args.Length > 2 ? args[2..] : ["7000/udp"];
using var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
foreach (var knock in knocks)
{
    var slash = knock.IndexOf('/', StringComparison.Ordinal);
    var colon = knock.IndexOf(':', StringComparison.Ordinal);
    var target = new IPEndPoint(address, int.Parse(knock.AsSpan(0, slash), CultureInfo.InvariantCulture));
    if (knock.AsSpan(slash + 1).StartsWith("tcp", StringComparison.Ordinal))
    {
        using var syn = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        try
        {
            syn.Connect(target);
        }
        catch (SocketException)
        {
            // In progress: the SYN is out, and closing the socket now sends nothing more.
        }

        continue;
    }

    udp.SendTo(colon < 0 ? [] : Convert.FromHexString(knock.AsSpan(colon + 1)), target);
}

using var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { SendTimeout = 2000 };
try
{
    tcp.Connect(new IPEndPoint(address, int.Parse(args[1], CultureInfo.InvariantCulture)));
    return 0;
}
catch (SocketException)
{
    return 1;
}
