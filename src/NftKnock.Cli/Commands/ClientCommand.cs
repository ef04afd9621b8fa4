using System.CommandLine;

namespace NftKnock.Cli.Commands;

/// <summary><c>nftknock client</c>: enrol, list and revoke a rotating door's clients.</summary>
internal static class ClientCommand
{
    public static Command Create(CliContext context) =>
        new("client", "Give a person access (add), see who has it (list), take it away (revoke).")
        {
            ClientAddCommand.Create(context),
            ClientListCommand.Create(context),
            ClientRevokeCommand.Create(context),
        };
}
