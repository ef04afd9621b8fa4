using System.CommandLine;
using NftKnock.Cli.Enrolment;
using NftKnock.Client.Profiles;
using NftKnock.Core.Links;

namespace NftKnock.Cli.Commands;

/// <summary><c>nftknock import</c>: writes the profile a link carries into client.yaml (0600) and prints the ssh_config stanza.</summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var link = new Argument<string>("link") { Description = "The link from nftknock client add, or - to read it from standard input (keeps it out of shell history)." };
        var replace = new Option<bool>("--replace") { Description = "Replace a different secret already held for the same host." };
        var profiles = ClientOptions.ProfilesOption();
        var program = new Option<string>("--program") { Description = "How ssh should run nftknock in the printed stanza.", DefaultValueFactory = _ => "nftknock" };
        var command = new Command("import", "Import a client link: write its profile into client.yaml and print the ssh_config stanza.") { link, replace, profiles, program };
        command.SetAction(async (parse, cancel) =>
        {
            var given = parse.GetValue(link)!;
            string? text = given;
            if (given == "-")
            {
                using var reader = new StreamReader(context.Input ?? Stream.Null, leaveOpen: true);
                text = await reader.ReadLineAsync(cancel);
                if (string.IsNullOrWhiteSpace(text))
                {
                    context.Error.WriteLine(Texts.ImportNoLink());
                    return ExitCodes.Usage;
                }
            }
            else
            {
                context.Error.WriteLine(Texts.ImportLinkInHistory);
            }

            if (!ClientLink.TryParse(text, out var parsed, out var problem))
            {
                context.Error.WriteLine(Texts.Problem(problem!.Value.Text));
                return ExitCodes.Usage;
            }

            var path = parse.GetValue(profiles) ?? ProfilePaths.Default(context.Environment, OperatingSystem.IsWindows());
            if (path is null)
            {
                context.Error.WriteLine(Texts.ClientCannotWrite("client.yaml", "neither HOME nor APPDATA is set; name the file with --profiles"));
                return ExitCodes.Usage;
            }

            var code = ProfileImport.Write(context, path, parsed!, parse.GetValue(replace));
            if (code == ExitCodes.Ok)
            {
                var proxy = SshConfigCommand.ProxyWord(parse.GetValue(program)!) + " connect %h %p";
                context.Out.Write(SshConfigCommand.Stanza(parsed!.Host, parsed.Port, proxy));
            }

            return code;
        });
        return command;
    }
}
