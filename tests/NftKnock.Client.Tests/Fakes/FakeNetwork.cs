using System.Net;
using NftKnock.Client.Network;
using NftKnock.Core.Model;

namespace NftKnock.Client.Tests.Fakes;

/// <summary>What the client did on the fake network, with the fake time it happened at.</summary>
internal sealed record NetEvent(TimeSpan At, string Kind, IPEndPoint Target, TimeSpan Timeout = default)
{
    public override string ToString() => $"{Kind} {Target}";
}

/// <summary>A scripted network: names resolve to fixed addresses, connects fail or succeed in turn.</summary>
internal sealed class FakeNetwork(TestClock clock) : IClientNetwork
{
    private readonly Queue<ConnectFailure> connects = new();

    public Dictionary<string, IPAddress[]> Names { get; } = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<IPAddress> Unrouted { get; } = [];

    public List<NetEvent> Events { get; } = [];

    /// <summary>The outcomes of the next connects, in order; once used up, every connect succeeds.</summary>
    public FakeNetwork Then(params ConnectFailure[] outcomes)
    {
        foreach (var outcome in outcomes)
        {
            connects.Enqueue(outcome);
        }

        return this;
    }

    public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancel)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return Task.FromResult<IReadOnlyList<IPAddress>>([literal]);
        }

        return Names.TryGetValue(host, out var addresses)
            ? Task.FromResult<IReadOnlyList<IPAddress>>(addresses)
            : throw new HostNotFoundException(host, "Name or service not known");
    }

    public HashSet<IPAddress> Blocked { get; } = [];

    public ValueTask<KnockSend> KnockAsync(IPEndPoint target, Protocol protocol, CancellationToken cancel)
    {
        Events.Add(new(clock.Elapsed, $"knock {target.Port}/{protocol.Name()}", target));
        return ValueTask.FromResult(
            Unrouted.Contains(target.Address) ? KnockSend.NoRoute
            : Blocked.Contains(target.Address) ? KnockSend.Blocked
            : KnockSend.Sent);
    }

    public ValueTask<KnockSend> KnockAsync(IPEndPoint target, ReadOnlyMemory<byte> payload, CancellationToken cancel)
    {
        Events.Add(new(clock.Elapsed, $"knock {target.Port}/udp 0x{Convert.ToHexStringLower(payload.Span)}", target));
        return ValueTask.FromResult(
            Unrouted.Contains(target.Address) ? KnockSend.NoRoute
            : Blocked.Contains(target.Address) ? KnockSend.Blocked
            : KnockSend.Sent);
    }

    public Task<ConnectResult> ConnectAsync(IPEndPoint target, TimeSpan timeout, CancellationToken cancel)
    {
        Events.Add(new(clock.Elapsed, "connect", target, timeout));
        if (Unrouted.Contains(target.Address))
        {
            return Task.FromResult(ConnectResult.Failed(ConnectFailure.NoRoute));
        }

        var outcome = connects.Count > 0 ? connects.Dequeue() : ConnectFailure.None;
        if (outcome == ConnectFailure.TimedOut)
        {
            clock.Advance(timeout);
        }

        return Task.FromResult(outcome == ConnectFailure.None
            ? new ConnectResult(new MemoryConnection(), ConnectFailure.None)
            : ConnectResult.Failed(outcome));
    }
}

/// <summary>A connection over a memory buffer.</summary>
internal sealed class MemoryConnection : Connection
{
    private readonly MemoryStream stream = new();

    public bool SendShut { get; private set; }

    public override Stream Stream => stream;

    public override void ShutdownSend() => SendShut = true;

    protected override void Dispose(bool disposing) => stream.Dispose();
}
