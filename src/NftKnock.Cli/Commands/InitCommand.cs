using System.CommandLine;
using System.Security.Cryptography;
using NftKnock.Core.Config;
using NftKnock.Core.Model;
using NftKnock.Core.Rotating;

namespace NftKnock.Cli.Commands;

/// <summary>
/// <c>nftknock init</c>: writes a starter server config (a fresh random sequence, or a rotating door
/// with a fresh secret file) and prints the matching client profile on stdout.
/// </summary>
internal static class InitCommand
{
    private const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    public static Command Create(CliContext context)
    {
        var rotating = new Option<bool>("--rotating") { Description = "A rotating door with a fresh secret file instead of a fixed sequence." };
        var door = new Option<string>("--door") { Description = "The door's name.", DefaultValueFactory = _ => "ssh" };
        var protect = new Option<string>("--protect") { Description = "The port the door hides.", DefaultValueFactory = _ => "22/tcp" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the server config; never overwritten.", DefaultValueFactory = _ => ServerConfig.DefaultPath };
        var secretFile = new Option<string?>("--secret-file") { Description = "Where to write the secret (default DOOR.secret next to the config)." };
        var host = new Option<string?>("--host") { Description = "The server's name in the printed client profile (default: this machine's fully qualified name, else its host name)." };
        var command = new Command("init", "Write a starter server config and print the matching client profile.")
        {
            rotating, door, protect, output, secretFile, host,
        };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(door)!;
            var ports = parse.GetValue(protect)!;
            var path = Path.GetFullPath(parse.GetValue(output)!);
            var errors = Starter.Check(name, ports);
            if (errors.Count > 0)
            {
                foreach (var error in errors)
                {
                    context.Error.WriteLine(Texts.Problem(error.Message));
                }

                return ExitCodes.Usage;
            }

            if (File.Exists(path))
            {
                context.Error.WriteLine(Texts.InitExists(path));
                return ExitCodes.Usage;
            }

            // The name is chosen, and said, only once the files are written.
            var given = parse.GetValue(host);
            string Server() => ServerName.Choose(context, given);
            var port = PortRange.TryParse(ports, PortRange.DefaultProtocol, out var range) ? range.First : 22;
            return parse.GetValue(rotating)
                ? Rotating(context, name, ports, path, parse.GetValue(secretFile), Server, port)
                : Static(context, name, ports, path, Server, port);
        });
        return command;
    }

    private static int Static(CliContext context, string door, string protect, string path, Func<string> host, int port)
    {
        var steps = Starter.RandomSequence(door, protect, RandomNumberGenerator.GetInt32);
        if (!TryWrite(context, path, Starter.StaticConfig(door, protect, steps)))
        {
            return ExitCodes.Failure;
        }

        var server = host();
        context.Error.WriteLine(Texts.InitWroteStatic(path));
        context.Out.Write(Starter.StaticProfile(server, port, steps));
        return ExitCodes.Ok;
    }

    private static int Rotating(CliContext context, string door, string protect, string path, string? secretFile, Func<string> host, int port)
    {
        if (OperatingSystem.IsWindows())
        {
            context.Error.WriteLine(Texts.InitNeedsUnix());
            return ExitCodes.Usage;
        }

        var secretPath = Path.GetFullPath(secretFile ?? Path.Combine(Path.GetDirectoryName(path) ?? ".", $"{door}.secret"));
        if (File.Exists(secretPath))
        {
            context.Error.WriteLine(Texts.InitExists(secretPath));
            return ExitCodes.Usage;
        }

        var secret = RandomNumberGenerator.GetBytes(RotatingDerivation.MinSecretBytes);
        if (!TryWrite(context, secretPath, RotatingSecret.Format(secret)))
        {
            return ExitCodes.Failure;
        }

        if ((File.GetUnixFileMode(secretPath) & Others) != 0)
        {
            File.Delete(secretPath);
            context.Error.WriteLine(Texts.InitSecretExposed(secretPath));
            return ExitCodes.Failure;
        }

        if (!TryWrite(context, path, Starter.RotatingConfig(door, protect, secretPath)))
        {
            File.Delete(secretPath);
            return ExitCodes.Failure;
        }

        var server = host();
        context.Error.WriteLine(Texts.InitWroteRotating(path, secretPath));
        context.Out.Write(Starter.RotatingProfile(server, port, door, protect, Convert.ToBase64String(secret)));
        return ExitCodes.Ok;
    }

    /// <summary>Creates <paramref name="path"/> owner-only from the start (no window where others could read it); never overwrites.</summary>
    private static bool TryWrite(CliContext context, string path, string text)
    {
        try
        {
            Enrolment.ConfigFiles.CreateOwnerOnly(path, text);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine(Texts.InitCannotWrite(path, FileText.Describe(e)));
            return false;
        }
    }
}
