using NftKnock.Nftables;

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
                    context.Error.WriteLine("nftknock: nft was refused permission. Run nftknock with sudo (root or CAP_NET_ADMIN).");
                    return ExitCodes.NeedsPrivileges;
                default:
                    context.Error.WriteLine(e.Script is null ? $"nftknock: nft failed: {e.FirstError}" : Texts.NftRefused(e));
                    return ExitCodes.Failure;
            }
        }
        catch (ForeignTableException e)
        {
            context.Error.WriteLine($"nftknock: table inet {e.Table} exists and was not made by nftknock, so it is left untouched. Set table: to another name in the config.");
            return ExitCodes.Failure;
        }
        catch (FormatException e)
        {
            context.Error.WriteLine($"nftknock: cannot read nft's output: {e.Message}. Check that nft is version 1.0 or newer.");
            return ExitCodes.Failure;
        }
    }
}
