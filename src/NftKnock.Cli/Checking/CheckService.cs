using NftKnock.Core.Config;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Nftables;
using NftKnock.Server.Tables;

namespace NftKnock.Cli.Checking;

/// <summary>
/// The one check pipeline: read the config and its secret files, add check's own warnings,
/// and dry-run the ruleset with <c>nft --check</c> when the config is usable.
/// </summary>
internal static class CheckService
{
    public static async Task<CheckResult> RunAsync(CliContext context, string path, CancellationToken cancel)
    {
        if (ConfigLoader.Read(path, readSecrets: true, context.Time.GetUtcNow(), out var reason) is not { } read)
        {
            return new CheckResult(path, reason, null, DryRun.NotRun);
        }

        read = PublicSequences.WithWarnings(read, FileText.TryRead(path, out var text, out _) ? text : null);
        if (read.Config is not { } valid)
        {
            return new CheckResult(path, null, read, DryRun.NotRun);
        }

        try
        {
            await new TableService(context.Nftables()).CheckAsync(Planner.Plan(valid), ConfigLoader.Header(path), cancel);
            return new CheckResult(path, null, read, DryRun.Accepted);
        }
        catch (NftException e)
        {
            var dryRun = e.Kind switch
            {
                NftFailureKind.NotInstalled => DryRun.NotInstalled,
                NftFailureKind.PermissionDenied => DryRun.NeedsRoot,
                _ => DryRun.Refused,
            };
            return new CheckResult(path, null, read, dryRun, dryRun == DryRun.Refused ? e : null);
        }
    }
}
