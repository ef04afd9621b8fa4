using System.CommandLine;

namespace NftKnock.Cli;

internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        _ = context;
        return new Command("demo", "(being written)");
    }
}
