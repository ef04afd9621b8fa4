using System.Net;
using NftKnock.Client.Network;

namespace NftKnock.Client.Knocking;

/// <summary>
/// Resolves once, knocks, and connects; on refusal or timeout it closes the attempt's socket and
/// knocks again with growing back-off, each retry built to survive loss and reordering (see
/// <see cref="RetryPolicy"/>). The session connection is the only connection it makes to the
/// service: there is no separate probe. <see cref="OpenAsync"/> (connect) uses one address per
/// attempt; <see cref="KnockAsync"/> (knock) knocks one address of each family.
/// </summary>
public sealed partial class KnockClient(IClientNetwork network, TimeProvider time, Action<string>? verbose = null)
{
    private static readonly TimeSpan ShortGap = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Knocks and connects to <paramref name="port"/>, retrying with back-off; the connection it
    /// returns belongs to the caller.
    /// </summary>
    public async Task<KnockOutcome> OpenAsync(KnockRequest request, int port, CancellationToken cancel)
    {
        var (candidates, failure) = await ResolveAsync(request, eachFamily: false, cancel);
        if (failure is not null)
        {
            return failure;
        }

        var policy = request.Policy;
        var routed = false;
        var refused = false;
        var unsent = KnockStatus.NoRoute;
        var tried = new List<IPAddress>(candidates.Count);
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
            if (!tried.Contains(address))
            {
                tried.Add(address);
            }

            var knocks = request.Sequence.KnocksFor(time.GetUtcNow(), attempt);
            var gap = policy.GapFor(attempt);
            var (sent, firstKnock) = await SendAsync([address], [knocks], gap, RetryPolicy.CopiesFor(attempt), (attempt + 1, policy.Attempts), cancel);
            if (sent[0] != KnockStatus.Knocked)
            {
                unsent = sent[0];
                continue;
            }

            var result = await ConnectAfterKnockAsync(policy, attempt, new IPEndPoint(address, port), firstKnock, cancel);
            if (result.Connection is { } connection)
            {
                return new KnockOutcome(KnockStatus.Connected, address, attempt + 1, connection);
            }

            routed |= result.Failure != ConnectFailure.NoRoute;
            refused |= result.Failure == ConnectFailure.Refused;
        }

        return new KnockOutcome(routed ? KnockStatus.NeverOpened : unsent, address, policy.Attempts, null, Refused: refused, Tried: tried);
    }

    /// <summary>
    /// Connects once after an attempt's knocks and says how it went in verbose output. On a retry the
    /// SYN waits one gap first, so that a link that reorders cannot deliver it before the last knock
    /// (a SYN from a source part-way through the knock resets it).
    /// </summary>
    private async Task<ConnectResult> ConnectAfterKnockAsync(RetryPolicy policy, int attempt, IPEndPoint target, long firstKnock, CancellationToken cancel)
    {
        var settle = policy.SettleFor(attempt);
        if (settle > TimeSpan.Zero)
        {
            await PauseAsync(settle, cancel);
        }

        var timeout = policy.ConnectTimeoutFor(attempt);
        var result = await network.ConnectAsync(target, timeout, cancel);
        verbose?.Invoke(result.Connection is null
            ? ClientTexts.ConnectFailed(target.Address, target.Port, result.Failure, timeout)
            : ClientTexts.Connected(target.Address, target.Port, time.GetElapsedTime(firstKnock).TotalMilliseconds, attempt + 1));
        return result;
    }

    /// <summary>
    /// The addresses to use: <see cref="AddressChoice.OnePerFamily"/> when <paramref name="eachFamily"/>,
    /// else <see cref="AddressChoice.Candidates"/>; or the outcome that says why there are none.
    /// </summary>
    private async Task<(IReadOnlyList<IPAddress> Candidates, KnockOutcome? Failure)> ResolveAsync(KnockRequest request, bool eachFamily, CancellationToken cancel)
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

        var candidates = eachFamily ? AddressChoice.OnePerFamily(resolved, request.Family) : AddressChoice.Candidates(resolved, request.Family);
        if (candidates.Count == 0)
        {
            return ([], new KnockOutcome(KnockStatus.NoAddressOfFamily, null, 0, null));
        }

        verbose?.Invoke(eachFamily ? ClientTexts.KnockingEach(request.Host, candidates) : ClientTexts.Resolved(request.Host, candidates));
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
    /// Sends one attempt's knocks to each of <paramref name="addresses"/>, each knock
    /// <paramref name="copies"/> times back to back (a repeat of the step just done is ignored by the
    /// door; a TCP knock's copy is one more SYN from a new socket). Gives per address Knocked, or why
    /// this machine could not send its knocks (NoRoute, Blocked: that address gets no more of them),
    /// and the time of the first knock.
    /// </summary>
    /// <remarks>
    /// Two addresses (one per family) are knocked in lockstep on this one thread: step k goes to each
    /// address, then the gap, then step k+1. The door keeps each family's progress apart (its own
    /// sets, keyed by the source address), so each family sees its steps one gap apart plus the
    /// send of one datagram or SYN, far inside any step timeout; both grants start together; and the
    /// whole knock takes as long as one family's. Sending the families one after the other would start
    /// the first family's grant a whole sequence earlier (with long gaps and many steps, longer than
    /// open-for), and a second thread would wake late for millisecond gaps (see <see cref="PauseAsync"/>).
    /// </remarks>
    private async Task<(KnockStatus[] Status, long FirstKnock)> SendAsync(
        IReadOnlyList<IPAddress> addresses, IReadOnlyList<IReadOnlyList<Knock>> knocks, TimeSpan gap, int copies, (int Number, int Of) attempt, CancellationToken cancel)
    {
        var start = time.GetTimestamp();
        var status = Enumerable.Repeat(KnockStatus.Knocked, addresses.Count).ToArray();
        var steps = knocks[0].Select(k => k.Step).ToList();
        for (var i = 0; i < steps.Count && status.Contains(KnockStatus.Knocked); i++)
        {
            if (i > 0 && gap > TimeSpan.Zero)
            {
                await PauseAsync(gap, cancel);
            }

            for (var a = 0; a < addresses.Count; a++)
            {
                if (status[a] == KnockStatus.Knocked)
                {
                    status[a] = await SendStepAsync(addresses[a], knocks[a][i], copies, cancel);
                }
            }
        }

        var knocked = addresses.Where((_, a) => status[a] == KnockStatus.Knocked).ToList();
        if (knocked.Count > 0)
        {
            verbose?.Invoke(ClientTexts.Knocked(attempt.Number, attempt.Of, steps, knocked, gap, copies, time.GetElapsedTime(start).TotalMilliseconds));
        }

        return (status, start);
    }

    /// <summary>Sends one knock's copies to <paramref name="address"/>: Knocked, or why it could not.</summary>
    private async Task<KnockStatus> SendStepAsync(IPAddress address, Knock knock, int copies, CancellationToken cancel)
    {
        var target = new IPEndPoint(address, knock.Step.Port);
        for (var copy = 0; copy < copies; copy++)
        {
            var send = knock.Payload.IsEmpty
                ? network.KnockAsync(target, knock.Step.Protocol, cancel)
                : network.KnockAsync(target, knock.Payload, cancel);
            switch (await send)
            {
                case KnockSend.NoRoute:
                    verbose?.Invoke(ClientTexts.NoRouteVerbose(address));
                    return KnockStatus.NoRoute;
                case KnockSend.Blocked:
                    verbose?.Invoke(ClientTexts.BlockedVerbose(address, knock.Step));
                    return KnockStatus.Blocked;
            }
        }

        return KnockStatus.Knocked;
    }
}
