using System.CommandLine;

namespace NftKnock.Cli;

internal static class ConnectCommand
{
    public static Command Create(CliContext context)
    {
        _ = context;
        return new Command("connect", "(being written)");
    }
}
