using System.CommandLine;
using NftKnock.Core.Config;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;
using NftKnock.Server.Doctor;

namespace NftKnock.Cli.Commands;

/// <summary><c>nftknock doctor</c>: checks the host, the config and the live table; changes nothing.</summary>
internal static class DoctorCommand
{
    public static Command Create(CliContext context)
    {
        var config = ConfigLoader.Option();
        var json = new Option<bool>("--json") { Description = "Print JSON instead of one line per check." };
        var command = new Command("doctor", "Check nft, the kernel, the host firewall, listeners, secrets and drift; each finding with a fix. Changes nothing.") { config, json };
        command.SetAction(async (parse, cancel) =>
        {
            var path = parse.GetValue(config)!;
            var (configCheck, valid) = LoadConfig(path, context);
            // An unsafe secret makes the config unusable; the secret files check still names it.
            var inputs = new DoctorInputs(valid, SecretFilesOf(valid ?? WithoutSecrets(path), path), Privileged: context.IsPrivileged());
            var checks = new List<DoctorCheck> { configCheck };
            checks.AddRange(await new DoctorService(context.Nftables(), context.Host).RunAsync(inputs, cancel));
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(DoctorCheck.ToJson(checks));
            }
            else
            {
                Human(checks, context.Out);
            }

            return checks.Any(c => c.Status == CheckStatus.Fail) ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The secret files of every rotating door's clients, where the config reader found them.</summary>
    internal static IReadOnlyList<string> SecretFilesOf(ServerConfig? config, string configPath) =>
        config?.Doors
            .SelectMany(d => d.Rotating?.Clients ?? [])
            .Select(c => SecretFiles.FullPath(configPath, c.SecretFile))
            .Distinct(StringComparer.Ordinal)
            .ToList() ?? [];

    /// <summary>The config read without its secret files, for their paths when reading them failed.</summary>
    private static ServerConfig? WithoutSecrets(string path) =>
        FileText.TryRead(path, out var text, out _) ? ConfigReader.Read(text).Config : null;

    private static (DoctorCheck Check, ServerConfig? Config) LoadConfig(string path, CliContext context)
    {
        const string Name = "config";
        if (!File.Exists(path))
        {
            return (DoctorCheck.Warn(Name, $"{path} does not exist", "Write a config (see /usr/share/doc/nftknock/nftknock.yaml) or pass -c FILE."), null);
        }

        var result = ConfigLoader.Load(path, context, quietWarnings: true);
        return result?.Config is { } valid
            ? (DoctorCheck.Pass(Name, $"{path}: valid, {Texts.Count(valid.Doors.Count, "door")}"), valid)
            : (DoctorCheck.Fail(Name, $"{path} cannot be used", $"Fix the errors that nftknock check -c {path} reports."), null);
    }

    private static void Human(IReadOnlyList<DoctorCheck> checks, TextWriter output)
    {
        var width = checks.Max(c => c.Name.Length);
        foreach (var check in checks)
        {
            // One line per check, so journald and grep see whole findings; the fix follows on the same line.
            var fix = check.Fix is null ? string.Empty : $" Fix: {check.Fix}";
            output.WriteLine(Visible.Escape($"{check.Status.ToString().ToUpperInvariant(),-4}  {check.Name.PadRight(width)}  {check.Detail}.{fix}"));
        }

        output.WriteLine($"doctor: {checks.Count(c => c.Status == CheckStatus.Pass)} passed, {checks.Count(c => c.Status == CheckStatus.Warn)} warnings, {checks.Count(c => c.Status == CheckStatus.Fail)} failed.");
    }
}
