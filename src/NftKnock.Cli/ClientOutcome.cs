using NftKnock.Client;
using NftKnock.Client.Knocking;
using NftKnock.Client.Rotating;
using NftKnock.Client.Settings;
using NftKnock.Core.Model;

namespace NftKnock.Cli;

/// <summary>Maps a failed knock outcome to its one-line message and exit code.</summary>
internal static class ClientOutcome
{
    /// <summary>connect's failure: one line and the exit code.</summary>
    public static int Fail(KnockOutcome outcome, ClientTarget target, int? port, CliContext context)
    {
        switch (outcome.Status)
        {
            case KnockStatus.Unresolvable:
                context.Error.WriteLine(ClientTexts.Unresolvable(target.Request.Host, outcome.Detail));
                return ExitCodes.Usage;
            case KnockStatus.NoAddressOfFamily:
                context.Error.WriteLine(ClientTexts.NoAddressOfFamily(target.Request.Host, target.Request.Family == Families.IPv6));
                return ExitCodes.Usage;
            case KnockStatus.NoRoute:
                context.Error.WriteLine(ClientTexts.NoRoute(outcome.AddressesTried));
                return ExitCodes.Failure;
            case KnockStatus.Blocked:
                context.Error.WriteLine(ClientTexts.Blocked(outcome.Address, nameFamily: false));
                return ExitCodes.Failure;
            case KnockStatus.NeverOpened:
                Closed(target, [outcome], port ?? 0, context);
                return ExitCodes.NeverOpened;
            default:
                throw new InvalidOperationException($"{outcome.Status} is not a failure.");
        }
    }

    /// <summary>
    /// knock's failure, family by family: one line for each kind of failure, naming the family when
    /// both were knocked. Knocks that could not leave this machine (no route anywhere, a local
    /// firewall: exit 1) outrank a port that never opened (exit 3).
    /// </summary>
    public static int Fail(KnockReport report, ClientTarget target, int? port, CliContext context)
    {
        var failed = report.Failed;
        var both = report.PerAddress.Count > 1;
        var unrouted = failed.Where(o => o.Status == KnockStatus.NoRoute).ToList();
        if (unrouted.Count > 0)
        {
            context.Error.WriteLine(ClientTexts.NoRoute([.. unrouted.Select(o => o.Address!)]));
        }

        foreach (var blocked in failed.Where(o => o.Status == KnockStatus.Blocked))
        {
            context.Error.WriteLine(ClientTexts.Blocked(blocked.Address, both));
        }

        var closed = failed.Where(o => o.Status == KnockStatus.NeverOpened).ToList();
        var opened = report.Done;
        if (closed.Count > 0 && opened.Count > 0)
        {
            context.Error.WriteLine(ClientTexts.OpenedOverOneFamilyOnly(target.Host, port ?? 0, opened[0].Address!, closed[0].Address!, closed[0].Attempts));
        }
        else if (closed.Count > 0)
        {
            Closed(target, closed, port ?? 0, context);
        }

        return closed.Count == failed.Count ? ExitCodes.NeverOpened : ExitCodes.Failure;
    }

    /// <summary>
    /// The port stayed closed on every address in <paramref name="closed"/>. A reset from each says the
    /// door opened and nothing listens. Otherwise, after every window of a rotating door was tried, a
    /// clock more than a period off is the likeliest cause. The last line names every address tried.
    /// </summary>
    private static void Closed(ClientTarget target, IReadOnlyList<KnockOutcome> closed, int port, CliContext context)
    {
        var tried = closed.SelectMany(o => o.AddressesTried).Distinct().ToList();
        var attempts = closed[0].Attempts;
        if (closed.All(o => o.Refused))
        {
            context.Error.WriteLine(ClientTexts.NothingListens(target.Host, tried, port, attempts));
            return;
        }

        var rotating = target.Request.Sequence as RotatingSource;
        if (rotating is not null && RotatingSource.TriedEveryWindow(attempts))
        {
            context.Error.WriteLine(ClientTexts.ClockLooksWrong(context.Time.GetUtcNow(), rotating.Sequence.Spec.Period));
        }

        context.Error.WriteLine(ClientTexts.NeverOpened(target.Host, tried, port, attempts, rotating is not null));
    }
}
