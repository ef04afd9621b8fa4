using System.Net;
using NftKnock.Client.Network;
using NftKnock.Core.Model;

namespace NftKnock.Client.Knocking;

/// <summary>
/// Resolves once, knocks, and connects; on refusal or timeout it closes the attempt's socket and
/// knocks again with growing back-off. The session connection is the only connection it makes to the
/// service: there is no separate probe.
/// </summary>
public sealed class KnockClient(IClientNetwork network, TimeProvider time, Action<string>? verbose = null)
{
    /// <summary>Resolves and knocks once, without connecting.</summary>
    public async Task<KnockOutcome> KnockAsync(KnockRequest request, CancellationToken cancel)
    {
        var (candidates, failure) = await ResolveAsync(request, cancel);
        if (failure is not null)
        {
            return failure;
        }

        var address = candidates[0];
        var sent = await SendAsync(address, request.Sequence.StepsAt(time.GetUtcNow()), request.Policy.GapFor(0), 1, 1, cancel);
        return new KnockOutcome(sent ? KnockStatus.Knocked : KnockStatus.NoRoute, address, 1, null);
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
        var start = time.GetTimestamp();
        var routed = false;
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
            var steps = request.Sequence.StepsAt(time.GetUtcNow());
            if (!await SendAsync(address, steps, policy.GapFor(attempt), attempt + 1, policy.Attempts, cancel))
            {
                continue;
            }

            var timeout = policy.ConnectTimeoutFor(attempt);
            var result = await network.ConnectAsync(new IPEndPoint(address, port), timeout, cancel);
            if (result.Connection is { } connection)
            {
                var ms = time.GetElapsedTime(start).TotalMilliseconds;
                verbose?.Invoke(ClientTexts.Connected(address, port, ms, attempt + 1));
                return new KnockOutcome(KnockStatus.Connected, address, attempt + 1, connection);
            }

            routed |= result.Failure != ConnectFailure.NoRoute;
            verbose?.Invoke(ClientTexts.ConnectFailed(address, port, result.Failure, timeout));
        }

        return new KnockOutcome(routed ? KnockStatus.NeverOpened : KnockStatus.NoRoute, address, policy.Attempts, null);
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

    private async Task<bool> SendAsync(IPAddress address, IReadOnlyList<Step> steps, TimeSpan gap, int attempt, int attempts, CancellationToken cancel)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            if (i > 0 && gap > TimeSpan.Zero)
            {
                await Task.Delay(gap, time, cancel);
            }

            if (!await network.KnockAsync(new IPEndPoint(address, steps[i].Port), steps[i].Protocol, cancel))
            {
                verbose?.Invoke(ClientTexts.NoRouteVerbose(address));
                return false;
            }
        }

        verbose?.Invoke(ClientTexts.Knocked(attempt, attempts, steps, address, gap));
        return true;
    }
}
