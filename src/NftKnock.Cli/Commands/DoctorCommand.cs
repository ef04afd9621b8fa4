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
        const string Name = Texts.ConfigCheck;
        if (!File.Exists(path))
        {
            return (DoctorCheck.Warn(Name, Texts.ConfigMissing(path), Texts.ConfigMissingFix), null);
        }

        var result = ConfigLoader.Load(path, context, quietWarnings: true);
        return result?.Config is { } valid
            ? (DoctorCheck.Pass(Name, Texts.ConfigValid(path, valid.Doors.Count)), valid)
            : (DoctorCheck.Fail(Name, Texts.ConfigUnusable(path), Texts.ConfigUnusableFix(path)), null);
    }

    private static void Human(IReadOnlyList<DoctorCheck> checks, TextWriter output)
    {
        var width = checks.Max(c => c.Name.Length);
        foreach (var check in checks)
        {
            // One line per check, so journald and grep see whole findings; the fix follows on the same line.
            output.WriteLine(Visible.Escape(Texts.DoctorLine(check, width)));
        }

        output.WriteLine(Texts.DoctorSummary(checks.Count(c => c.Status == CheckStatus.Pass), checks.Count(c => c.Status == CheckStatus.Warn), checks.Count(c => c.Status == CheckStatus.Fail)));
    }
}
