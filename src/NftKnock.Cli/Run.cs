using NftKnock.Server.Nftables;
using NftKnock.Server.Tables;

namespace NftKnock.Cli;

/// <summary>Maps nft failures to one line and the documented exit code.</summary>
internal static class Run
{
    public static async Task<int> Nft(CliContext context, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (NftException e)
        {
            switch (e.Kind)
            {
                case NftFailureKind.NotInstalled:
                    context.Error.WriteLine(Texts.NftMissing());
                    return ExitCodes.Failure;
                case NftFailureKind.PermissionDenied:
                    context.Error.WriteLine(Texts.NftPermissionDenied);
                    return ExitCodes.NeedsPrivileges;
                default:
                    context.Error.WriteLine(e.Script is null ? Texts.NftFailed(e) : Texts.NftRefused(e));
                    return ExitCodes.Failure;
            }
        }
        catch (ForeignTableException e)
        {
            context.Error.WriteLine(Texts.ForeignTable(e.Table));
            return ExitCodes.Failure;
        }
        catch (FormatException e)
        {
            context.Error.WriteLine(Texts.NftOutputUnreadable(e.Message));
            return ExitCodes.Failure;
        }
    }
}
