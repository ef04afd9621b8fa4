using System.Net;
using System.Net.Sockets;

// dotnet-floor HOST PORT: one empty UDP datagram to port 7000, then one blocking TCP connect to
// PORT, then exit 0 (1 when the connect fails). No parsing beyond that, no knocks, no relay.
var address = IPAddress.Parse(args[0]);
using (var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp))
{
    udp.SendTo([], new IPEndPoint(address, 7000));
}

using var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { SendTimeout = 2000 };
try
{
    tcp.Connect(new IPEndPoint(address, int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture)));
    return 0;
}
catch (SocketException)
{
    return 1;
}
