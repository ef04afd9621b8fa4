using System.Net;
using NftKnock.Client.Network;

namespace NftKnock.Client.Knocking;

/// <summary>
/// Resolves once, knocks, and connects; on refusal or timeout it closes the attempt's socket and
/// knocks again with growing back-off, each retry built to survive loss and reordering (see
/// <see cref="RetryPolicy"/>). The session connection is the only connection it makes to the
/// service: there is no separate probe.
/// </summary>
public sealed class KnockClient(IClientNetwork network, TimeProvider time, Action<string>? verbose = null)
{
    private static readonly TimeSpan ShortGap = TimeSpan.FromMilliseconds(20);

    /// <summary>Resolves and knocks once, without connecting.</summary>
    public async Task<KnockOutcome> KnockAsync(KnockRequest request, CancellationToken cancel)
    {
        var (candidates, failure) = await ResolveAsync(request, cancel);
        if (failure is not null)
        {
            return failure;
        }

        var address = candidates[0];
        var (sent, _) = await SendAsync(address, request.Sequence.KnocksFor(time.GetUtcNow(), 0), request.Policy.GapFor(0), 1, (1, 1), cancel);
        return new KnockOutcome(sent, address, 1, null);
    }

    /// <summary>
    /// Knocks and connects to <paramref name="port"/>, retrying with back-off; the connection it
    /// returns belongs to the caller.
    /// </summary>
    public async Task<KnockOutcome> OpenAsync(KnockRequest request, int port, CancellationToken cancel)
    {
        var (candidates, failure) = await ResolveAsync(request, cancel);
        if (failure is not null)
        {
            return failure;
        }

        var policy = request.Policy;
        var routed = false;
        var unsent = KnockStatus.NoRoute;
        IPAddress address = candidates[0];
        for (var attempt = 0; attempt < policy.Attempts; attempt++)
        {
            var pause = policy.PauseBefore(attempt);
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, time, cancel);
            }

            // A whole attempt uses one address: the server only grants the address that knocked.
            address = candidates[attempt % candidates.Count];
            var knocks = request.Sequence.KnocksFor(time.GetUtcNow(), attempt);
            var gap = policy.GapFor(attempt);
            var (sent, firstKnock) = await SendAsync(address, knocks, gap, RetryPolicy.CopiesFor(attempt), (attempt + 1, policy.Attempts), cancel);
            if (sent != KnockStatus.Knocked)
            {
                unsent = sent;
                continue;
            }

            // On a retry the SYN waits one gap, so that a link that reorders cannot deliver it
            // before the last knock (a SYN from a source part-way through the knock resets it).
            var settle = policy.SettleFor(attempt);
            if (settle > TimeSpan.Zero)
            {
                await PauseAsync(settle, cancel);
            }

            var timeout = policy.ConnectTimeoutFor(attempt);
            var result = await network.ConnectAsync(new IPEndPoint(address, port), timeout, cancel);
            if (result.Connection is { } connection)
            {
                var ms = time.GetElapsedTime(firstKnock).TotalMilliseconds;
                verbose?.Invoke(ClientTexts.Connected(address, port, ms, attempt + 1));
                return new KnockOutcome(KnockStatus.Connected, address, attempt + 1, connection);
            }

            routed |= result.Failure != ConnectFailure.NoRoute;
            verbose?.Invoke(ClientTexts.ConnectFailed(address, port, result.Failure, timeout));
        }

        return new KnockOutcome(routed ? KnockStatus.NeverOpened : unsent, address, policy.Attempts, null);
    }

    private async Task<(IReadOnlyList<IPAddress> Candidates, KnockOutcome? Failure)> ResolveAsync(KnockRequest request, CancellationToken cancel)
    {
        IReadOnlyList<IPAddress> resolved;
        try
        {
            resolved = await network.ResolveAsync(request.Host, cancel);
        }
        catch (HostNotFoundException e)
        {
            return ([], new KnockOutcome(KnockStatus.Unresolvable, null, 0, null, e.Reason));
        }

        var candidates = AddressChoice.Candidates(resolved, request.Family);
        if (candidates.Count == 0)
        {
            return ([], new KnockOutcome(KnockStatus.NoAddressOfFamily, null, 0, null));
        }

        verbose?.Invoke(ClientTexts.Resolved(request.Host, candidates));
        return (candidates, null);
    }

    /// <summary>
    /// Waits between knocks. A gap of a few milliseconds is slept on this thread: a timer would hand
    /// the next knock to another thread, which on a cold or busy machine costs more than the gap.
    /// </summary>
    private Task PauseAsync(TimeSpan gap, CancellationToken cancel)
    {
        if (gap <= ShortGap && time == TimeProvider.System)
        {
            Thread.Sleep(gap);
            return Task.CompletedTask;
        }

        return Task.Delay(gap, time, cancel);
    }

    /// <summary>
    /// Sends one attempt's knocks, each <paramref name="copies"/> times back to back (a repeat of the
    /// step just done is ignored by the door; a TCP knock's copy is one more SYN from a new socket);
    /// gives Knocked and the time of the first knock, or why this machine could not send them
    /// (NoRoute, Blocked).
    /// </summary>
    private async Task<(KnockStatus Status, long FirstKnock)> SendAsync(
        IPAddress address, IReadOnlyList<Knock> knocks, TimeSpan gap, int copies, (int Number, int Of) attempt, CancellationToken cancel)
    {
        var start = time.GetTimestamp();
        var steps = knocks.Select(k => k.Step).ToList();
        for (var i = 0; i < knocks.Count; i++)
        {
            if (i > 0 && gap > TimeSpan.Zero)
            {
                await PauseAsync(gap, cancel);
            }

            var target = new IPEndPoint(address, steps[i].Port);
            for (var copy = 0; copy < copies; copy++)
            {
                var send = knocks[i].Payload.IsEmpty
                    ? network.KnockAsync(target, steps[i].Protocol, cancel)
                    : network.KnockAsync(target, knocks[i].Payload, cancel);
                switch (await send)
                {
                    case KnockSend.NoRoute:
                        verbose?.Invoke(ClientTexts.NoRouteVerbose(address));
                        return (KnockStatus.NoRoute, start);
                    case KnockSend.Blocked:
                        verbose?.Invoke(ClientTexts.BlockedVerbose(address, steps[i]));
                        return (KnockStatus.Blocked, start);
                }
            }
        }

        verbose?.Invoke(ClientTexts.Knocked(attempt.Number, attempt.Of, steps, address, gap, copies, time.GetElapsedTime(start).TotalMilliseconds));
        return (KnockStatus.Knocked, start);
    }
}
