using System.CommandLine;
using NftKnock.Cli.Enrolment;
using NftKnock.Server.Status;

namespace NftKnock.Cli.Commands;

/// <summary><c>nftknock client revoke</c>: takes a client out of the config, moves its secret aside and, with --apply, closes its grants.</summary>
internal static class ClientRevokeCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The client to revoke." };
        var config = ConfigLoader.Option();
        var apply = new Option<bool>("--apply") { Description = "Apply at once (with apply's lock-out guard) and close the grants this client's knocks opened." };
        var json = new Option<bool>("--json") { Description = "Print JSON (client, door, secret_moved_to, applied, closed) instead of text." };
        var command = new Command("revoke", "Revoke a client: remove it from its door, move its secret aside, and with --apply refuse its knocks at once.")
        {
            name, config, apply, json,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var applying = parse.GetValue(apply);
            if (applying && !context.IsPrivileged())
            {
                context.Error.WriteLine(Texts.NotRoot("client revoke --apply"));
                return ExitCodes.NeedsPrivileges;
            }

            var path = parse.GetValue(config)!;
            var client = parse.GetValue(name)!;
            var revoked = ClientRevoke.Run(context, path, client);
            if (revoked.Code != ExitCodes.Ok)
            {
                return revoked.Code;
            }

            context.Error.WriteLine(Texts.ClientRevoked(client, revoked.Door!.Name, path, revoked.MovedTo, applying));
            var closed = new GrantsClosed([], []);
            if (applying)
            {
                var code = await ApplyService.RunAsync(context.ReportingToError(), path, null, force: false, cancel);
                if (code != ExitCodes.Ok)
                {
                    return code;
                }

                closed = await RevokedGrants.CloseAsync(context, path, revoked, cancel);
                context.Error.WriteLine(Texts.ClientGrantsClosed(client, closed.Closed, closed.Kept));
            }

            if (parse.GetValue(json))
            {
                context.Out.WriteLine(Json(client, revoked, applying, closed));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The --json document: the client, its door, where its secret went, and the grants closed.</summary>
    private static string Json(string client, RevokeOutcome revoked, bool applied, GrantsClosed closed) => JsonOutput.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("client", client);
        w.WriteString("door", revoked.Door!.Name);
        if (revoked.MovedTo is { } moved)
        {
            w.WriteString("secret_moved_to", moved);
        }

        w.WriteBoolean("applied", applied);
        w.WriteStartArray("closed");
        closed.Closed.ToList().ForEach(w.WriteStringValue);
        w.WriteEndArray();
        w.WriteEndObject();
    });
}
