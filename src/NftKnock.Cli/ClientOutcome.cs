using NftKnock.Client;
using NftKnock.Client.Knocking;
using NftKnock.Client.Rotating;
using NftKnock.Client.Settings;
using NftKnock.Core.Model;

namespace NftKnock.Cli;

/// <summary>Maps a failed knock outcome to its one-line message and exit code.</summary>
internal static class ClientOutcome
{
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
                context.Error.WriteLine(ClientTexts.NoRoute(outcome.Address));
                return ExitCodes.Failure;
            case KnockStatus.Blocked:
                context.Error.WriteLine(ClientTexts.Blocked(outcome.Address));
                return ExitCodes.Failure;
            case KnockStatus.NeverOpened:
                context.Error.WriteLine(ClientTexts.NeverOpened(target.Host, outcome.Address, port ?? 0, outcome.Attempts));
                if (target.Request.Sequence is RotatingSource rotating && RotatingSource.TriedEveryWindow(outcome.Attempts))
                {
                    // Every window was tried: a clock more than a period off is the likeliest cause.
                    context.Error.WriteLine(ClientTexts.ClockLooksWrong(context.Time.GetUtcNow(), rotating.Sequence.Spec.Period));
                }

                return ExitCodes.NeverOpened;
            default:
                throw new InvalidOperationException($"{outcome.Status} is not a failure.");
        }
    }
}
