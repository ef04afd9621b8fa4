using System.CommandLine;
using NftKnock.Cli.Deployment;

namespace NftKnock.Cli.Commands;

/// <summary><c>nftknock install</c> and <c>uninstall</c>: the binary, the systemd units and /etc/nftknock, without a package.</summary>
internal static class InstallCommand
{
    private static Option<string> RootOption() => new("--root")
    {
        Description = "Install under this directory instead of / (for images and tests).",
        DefaultValueFactory = _ => "/",
    };

    public static Command Create(CliContext context)
    {
        var root = RootOption();
        var binary = new Option<string?>("--binary") { Description = "The nftknock binary to install (default: this one)." };
        var command = new Command("install", $"Install this binary as {Installer.BinaryPath}, the systemd units, and {Installer.ConfigDirectory} (root only) with a sample config; enables nothing.") { root, binary };
        command.SetAction(parse =>
        {
            var target = parse.GetValue(root)!;
            if (Refuse(context, target, "install") is { } refused)
            {
                return refused;
            }

            var source = parse.GetValue(binary) ?? Environment.ProcessPath;
            if (source is null || Path.GetFileNameWithoutExtension(source) == "dotnet" || !File.Exists(source))
            {
                context.Error.WriteLine(Texts.InstallNeedsBinary);
                return ExitCodes.Usage;
            }

            return Guard(context, () => new Installer(target, context.Out).Install(source));
        });
        return command;
    }

    public static Command CreateUninstall(CliContext context)
    {
        var root = RootOption();
        var purge = new Option<bool>("--purge") { Description = $"Also delete {Installer.ConfigDirectory}: configs and secrets." };
        var command = new Command("uninstall", $"Remove what install put in place; {Installer.ConfigDirectory} stays unless --purge.") { root, purge };
        command.SetAction(parse =>
        {
            var target = parse.GetValue(root)!;
            return Refuse(context, target, "uninstall")
                ?? Guard(context, () => new Installer(target, context.Out).Uninstall(parse.GetValue(purge)));
        });
        return command;
    }

    private static int? Refuse(CliContext context, string root, string command)
    {
        if (OperatingSystem.IsWindows())
        {
            context.Error.WriteLine(Texts.LinuxOnly(command));
            return ExitCodes.Usage;
        }

        if (Path.GetFullPath(root) == "/" && !context.IsPrivileged())
        {
            context.Error.WriteLine(Texts.NotRoot(command));
            return ExitCodes.NeedsPrivileges;
        }

        return null;
    }

    private static int Guard(CliContext context, Action action)
    {
        try
        {
            action();
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine(Texts.InstallStepFailed(e.Message));
            return ExitCodes.Failure;
        }
    }
}
