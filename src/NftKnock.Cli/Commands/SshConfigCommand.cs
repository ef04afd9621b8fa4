using System.CommandLine;

namespace NftKnock.Cli;

internal static class SshConfigCommand
{
    public static Command Create(CliContext context)
    {
        _ = context;
        return new Command("ssh-config", "(being written)");
    }
}
