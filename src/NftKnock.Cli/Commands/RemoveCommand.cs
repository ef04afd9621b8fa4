using System.CommandLine;
using NftKnock.Server.Tables;

namespace NftKnock.Cli.Commands;

/// <summary><c>nftknock remove</c>: deletes our table, and nothing else.</summary>
internal static class RemoveCommand
{
    public static Command Create(CliContext context)
    {
        var table = new TableOption();
        var command = new Command("remove", "Delete our table in one batch; other tables are never touched.");
        table.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            // Privileges first: the config that names the table is often readable by root alone.
            if (!context.IsPrivileged())
            {
                context.Error.WriteLine(Texts.NotRoot("remove"));
                return ExitCodes.NeedsPrivileges;
            }

            if (table.Resolve(parse, context) is not { } name)
            {
                return ExitCodes.Usage;
            }

            using var locked = await ApplyConfirmation.LockAsync(context, name, cancel);
            if (locked is null)
            {
                return ExitCodes.Failure;
            }

            if (await ApplyConfirmation.PendingAsync(context, name, "remove", cancel) is { } blocked)
            {
                return blocked;
            }

            return await Run.Nft(context, async () =>
            {
                var removed = await new TableService(context.Nftables()).RemoveAsync(name, cancel);
                context.Out.WriteLine(removed
                    ? $"Removed table inet {name}: protected ports are back under the host firewall's rules alone."
                    : $"There is no table inet {name}; nothing to remove.");
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
