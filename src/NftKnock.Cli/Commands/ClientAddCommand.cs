using System.CommandLine;
using NftKnock.Cli.Enrolment;
using NftKnock.Core.Config;

namespace NftKnock.Cli.Commands;

/// <summary><c>nftknock client add</c>: a new client with its own secret, printed as a profile, a link and a QR code.</summary>
internal static class ClientAddCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The client's name: a lowercase letter, then up to 31 of a-z, 0-9, '.', '-', '_'." };
        var config = ConfigLoader.Option();
        var door = new Option<string?>("--door") { Description = "The door (default: the config's only rotating door)." };
        var host = new Option<string?>("--host") { Description = "HOST[:PORT] the client connects to (default: this machine's name and the door's port)." };
        var secretDir = new Option<string?>("--secret-dir") { Description = "Where the secret is written (default: clients/ beside the config); root's, no other user may write to it." };
        var expires = new Option<string?>("--expires") { Description = "The client's expires: key, a date or date-time (docs/configuration.md)." };
        var days = new Option<string?>("--days") { Description = "The client's days: key, like mon,tue,wed,thu,fri." };
        var hours = new Option<string?>("--hours") { Description = "The client's hours: key, like 08:00-18:00." };
        var grantPrefix = new Option<string?>("--grant-prefix") { Description = "What the client's knock opens, like ipv4:24,ipv6:64 (default: the door's)." };
        var qr = new Option<bool>("--qr") { Description = "Also draw the link as a QR code for a phone camera." };
        var apply = new Option<bool>("--apply") { Description = "Apply the config at once (with apply's lock-out guard); undo the enrolment if the apply fails." };
        var confirm = ApplyConfirmation.ConfirmOption();
        var json = new Option<bool>("--json") { Description = "Print JSON (client, door, secret_file, link, profile) instead of text." };
        var command = new Command("add", "Enrol a client: write its secret, add it to the door, print its profile, link and QR code.")
        {
            name, config, door, host, secretDir, expires, days, hours, grantPrefix, qr, apply, confirm, json,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var window = parse.GetValue(confirm);
            var applying = parse.GetValue(apply) || window is not null;
            if (applying && !context.IsPrivileged())
            {
                context.Error.WriteLine(Texts.NotRoot("client add --apply"));
                return ExitCodes.NeedsPrivileges;
            }

            if (Extras(context, parse.GetValue(expires), parse.GetValue(days), parse.GetValue(hours), parse.GetValue(grantPrefix)) is not { } extras)
            {
                return ExitCodes.Usage;
            }

            var request = new AddRequest(parse.GetValue(config)!, parse.GetValue(name)!, parse.GetValue(door), parse.GetValue(host), parse.GetValue(secretDir), extras);
            return await AddAsync(context, request, (applying, window), parse.GetValue(json), parse.GetValue(qr), cancel);
        });
        return command;
    }

    /// <summary>
    /// Enrols the client, applies when asked (within <c>Window</c> when --confirm gave one) and undoes
    /// the enrolment when that fails, then prints the profile, link and QR code.
    /// </summary>
    private static async Task<int> AddAsync(CliContext context, AddRequest request, (bool Applying, TimeSpan? Window) apply, bool json, bool qr, CancellationToken cancel)
    {
        var applying = apply.Applying;
        var added = ClientAdd.Run(context, request);
        if (added.Code != ExitCodes.Ok)
        {
            return added.Code;
        }

        if (request.Host is null)
        {
            // Said once the enrolment is written, so that bad input stays one line.
            context.Error.WriteLine(ServerName.Pick(context).Line);
        }

        if (!added.Shared)
        {
            context.Error.WriteLine(Texts.ClientAdded(request.Name, added.Door!, request.ConfigPath, added.SecretPath!, applying));
        }

        if (applying && !added.Shared)
        {
            var code = await ApplyService.RunAsync(context.ReportingToError(), request.ConfigPath, apply.Window, force: false, cancel);
            if (code != ExitCodes.Ok)
            {
                ClientAdd.Undo(context, request, added);
                return code;
            }
        }

        context.Out.Write(json
            ? AddOutput.Json(added, added.Shared ? null : request.Name, applying && !added.Shared)
            : AddOutput.Text(added, qr));
        return ExitCodes.Ok;
    }

    /// <summary>The time-limit and grant-prefix keys as YAML values, every scalar quoted; null after saying what is wrong.</summary>
    private static List<(string Key, string Yaml)>? Extras(CliContext context, string? expires, string? days, string? hours, string? grantPrefix)
    {
        var extras = new List<(string, string)>();
        if (expires is not null)
        {
            extras.Add(("expires", Starter.Quote(expires)));
        }

        if (days is not null)
        {
            extras.Add(("days", "[" + string.Join(", ", days.Split(',', StringSplitOptions.TrimEntries).Select(Starter.Quote)) + "]"));
        }

        if (hours is not null)
        {
            extras.Add(("hours", Starter.Quote(hours)));
        }

        if (grantPrefix is not null)
        {
            var parts = grantPrefix.Split(',', StringSplitOptions.TrimEntries).Select(p => p.Split(':')).ToList();
            if (parts.Any(p => p.Length != 2 || p[0] is not ("ipv4" or "ipv6") || p[1].Length is 0 or > 3 || !p[1].All(char.IsAsciiDigit))
                || parts.Select(p => p[0]).Distinct().Count() != parts.Count)
            {
                context.Error.WriteLine(Texts.ClientBadGrantPrefix(grantPrefix));
                return null;
            }

            extras.Add(("grant-prefix", "{" + string.Join(", ", parts.Select(p => $"{p[0]}: {p[1]}")) + "}"));
        }

        return extras;
    }
}
