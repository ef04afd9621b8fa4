using System.Diagnostics;
using System.Globalization;
using System.Net;
using NftKnock.Client.Knocking;
using NftKnock.Client.Network;
using NftKnock.Core.Model;

// nftknock-inproc HOST PORT RUNS WARMUP CLOSE-COMMAND [STEP...]
// Times knock-to-connected inside this one process: each run first closes the door with
// CLOSE-COMMAND (untimed; a shell command), then knocks and connects with nftknock's
// client library. With no steps it times a plain connect (the in-process floor).
// NKB_GAP_MS overrides the client's default gap between knocks (to see what the gap costs).
// Prints one line per measured run: milliseconds.
if (args.Length < 5)
{
    Console.Error.WriteLine("usage: nftknock-inproc HOST PORT RUNS WARMUP CLOSE-COMMAND [STEP...]");
    return 2;
}

var host = args[0];
var port = int.Parse(args[1], CultureInfo.InvariantCulture);
var runs = int.Parse(args[2], CultureInfo.InvariantCulture);
var warmup = int.Parse(args[3], CultureInfo.InvariantCulture);
var close = args[4];
var steps = new List<Step>();
foreach (var text in args.Skip(5))
{
    if (!Step.TryParse(text, out var step))
    {
        Console.Error.WriteLine($"not a knock step: {text}");
        return 2;
    }

    steps.Add(step);
}

var network = new SocketNetwork();
var client = new KnockClient(network, TimeProvider.System);
var policy = RetryPolicy.Default;
if (Environment.GetEnvironmentVariable("NKB_GAP_MS") is { Length: > 0 } gapText)
{
    policy = policy with { Gap = TimeSpan.FromMilliseconds(double.Parse(gapText, CultureInfo.InvariantCulture)) };
}

var request = new KnockRequest(host, new StaticSequence(steps), Families.Both, policy);
var endpoint = new IPEndPoint(IPAddress.Parse(host), port);
var failures = 0;
for (var i = 0; i < warmup + runs; i++)
{
    if (close.Length > 0)
    {
        using var closer = Process.Start("/bin/sh", ["-c", close]);
        await closer.WaitForExitAsync();
    }

    var clock = Stopwatch.StartNew();
    Connection? connection;
    if (steps.Count == 0)
    {
        connection = (await network.ConnectAsync(endpoint, TimeSpan.FromSeconds(5), CancellationToken.None)).Connection;
    }
    else
    {
        connection = (await client.OpenAsync(request, port, CancellationToken.None)).Connection;
    }

    var ms = clock.Elapsed.TotalMilliseconds;
    if (connection is null)
    {
        failures++;
    }
    else
    {
        connection.Dispose();
        if (i >= warmup)
        {
            Console.WriteLine(ms.ToString("F3", CultureInfo.InvariantCulture));
        }
    }
}

if (failures > 0)
{
    Console.Error.WriteLine($"{failures} runs did not connect");
}

return failures == 0 ? 0 : 1;
