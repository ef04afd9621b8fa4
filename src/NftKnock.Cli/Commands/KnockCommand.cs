using System.CommandLine;

namespace NftKnock.Cli;

internal static class KnockCommand
{
    public static Command Create(CliContext context)
    {
        _ = context;
        return new Command("knock", "(being written)");
    }
}
