using System.Net;
using NftKnock.Client.Network;

namespace NftKnock.Client.Knocking;

/// <summary>The knock command's side of the client: one address of each family, knocked together.</summary>
public sealed partial class KnockClient
{
    /// <summary>
    /// Resolves once and knocks one address of each family the request allows (see
    /// <see cref="AddressChoice.OnePerFamily"/>), the same addresses and the same knocks on every
    /// attempt, so that a later connection opens whichever family it takes. Without
    /// <paramref name="checkPort"/> it knocks once. With it, it then connects to that port on each
    /// address and closes at once; an address that did not open is knocked and checked again with
    /// back-off, an address that opened is left alone.
    /// </summary>
    public async Task<KnockReport> KnockAsync(KnockRequest request, int? checkPort, CancellationToken cancel)
    {
        var (addresses, failure) = await ResolveAsync(request, eachFamily: true, cancel);
        if (failure is not null)
        {
            return new KnockReport([], failure);
        }

        var policy = request.Policy;
        var attempts = checkPort is null ? 1 : policy.Attempts;
        var outcomes = new KnockOutcome?[addresses.Count];
        var answers = new Answer[addresses.Count];
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var pending = Enumerable.Range(0, addresses.Count).Where(a => outcomes[a] is null).ToList();
            if (pending.Count == 0)
            {
                break;
            }

            var pause = policy.PauseBefore(attempt);
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, time, cancel);
            }

            // A rotating door claims a window once for both families, so each family knocks a window of its
            // own (the second family is one attempt ahead): a window taken over one family is never needed on
            // the other, and a captured knock of one family opens nothing on the other. Static steps are the same.
            var now = time.GetUtcNow();
            var knocks = pending.Select(a => request.Sequence.KnocksFor(now, attempt + a)).ToList();
            var (sent, firstKnock) = await SendAsync(
                [.. pending.Select(a => addresses[a])], knocks, policy.GapFor(attempt), RetryPolicy.CopiesFor(attempt), (attempt + 1, attempts), cancel);
            var knocked = Settle(addresses, pending, sent, attempt, checkPort is null, outcomes);
            if (checkPort is { } port && knocked.Count > 0)
            {
                await CheckAsync(policy, addresses, knocked, (port, attempt, firstKnock), outcomes, answers, cancel);
            }
        }

        for (var a = 0; a < addresses.Count; a++)
        {
            outcomes[a] ??= new KnockOutcome(
                answers[a].HasFlag(Answer.Routed) ? KnockStatus.NeverOpened : KnockStatus.NoRoute, addresses[a], attempts, null, Refused: answers[a].HasFlag(Answer.Refused));
        }

        return new KnockReport([.. outcomes.OfType<KnockOutcome>()]);
    }

    /// <summary>
    /// Records the outcome of each address whose knocks end its attempts: the kernel refused to send
    /// them, or there is nothing to check. Returns the knocked addresses left to check.
    /// </summary>
    private static List<int> Settle(
        IReadOnlyList<IPAddress> addresses, List<int> pending, KnockStatus[] sent, int attempt, bool noCheck, KnockOutcome?[] outcomes)
    {
        var knocked = new List<int>(pending.Count);
        for (var p = 0; p < pending.Count; p++)
        {
            var a = pending[p];
            if (sent[p] != KnockStatus.Knocked)
            {
                // The kernel refused to send them (no route, a local firewall): retrying within
                // seconds would not change its answer.
                outcomes[a] = new KnockOutcome(sent[p], addresses[a], attempt + 1, null);
            }
            else if (noCheck)
            {
                outcomes[a] = new KnockOutcome(KnockStatus.Knocked, addresses[a], attempt + 1, null);
            }
            else
            {
                knocked.Add(a);
            }
        }

        return knocked;
    }

    /// <summary>
    /// Connects to the checked port on each knocked address in turn (IPv4 first) and closes
    /// each connection at once; records the ones that opened.
    /// </summary>
    private async Task CheckAsync(
        RetryPolicy policy,
        IReadOnlyList<IPAddress> addresses,
        List<int> knocked,
        (int Port, int Attempt, long FirstKnock) check,
        KnockOutcome?[] outcomes,
        Answer[] answers,
        CancellationToken cancel)
    {
        var (port, attempt, firstKnock) = check;
        var settle = policy.SettleFor(attempt);
        if (settle > TimeSpan.Zero)
        {
            await PauseAsync(settle, cancel);
        }

        var timeout = policy.ConnectTimeoutFor(attempt);
        foreach (var a in knocked)
        {
            var address = addresses[a];
            var result = await network.ConnectAsync(new IPEndPoint(address, port), timeout, cancel);
            if (result.Connection is { } connection)
            {
                connection.Dispose();
                verbose?.Invoke(ClientTexts.Connected(address, port, time.GetElapsedTime(firstKnock).TotalMilliseconds, attempt + 1));
                outcomes[a] = new KnockOutcome(KnockStatus.Connected, address, attempt + 1, null);
                continue;
            }

            answers[a] |= result.Failure switch
            {
                ConnectFailure.NoRoute => Answer.None,
                ConnectFailure.Refused => Answer.Routed | Answer.Refused,
                _ => Answer.Routed,
            };
            verbose?.Invoke(ClientTexts.ConnectFailed(address, port, result.Failure, timeout));
        }
    }

    /// <summary>What the checks of one address heard back, over every attempt.</summary>
    [Flags]
    private enum Answer
    {
        None = 0,

        /// <summary>A check got past this machine: a reset or a timeout, not a missing route.</summary>
        Routed = 1,

        /// <summary>A check was answered with a reset.</summary>
        Refused = 2,
    }
}
