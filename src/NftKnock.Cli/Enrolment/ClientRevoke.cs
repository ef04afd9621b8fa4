using NftKnock.Core.Config;
using NftKnock.Core.Model;

namespace NftKnock.Cli.Enrolment;

/// <summary>What <c>client revoke</c> did: the door and the client as the config had them, for closing its grants.</summary>
internal sealed record RevokeOutcome(int Code, Door? Door = null, RotatingClient? Client = null, string? MovedTo = null);

/// <summary>Takes a client out of the config (its lines only) and moves its secret aside to NAME.secret.revoked.</summary>
internal static class ClientRevoke
{
    /// <summary>The suffix a revoked secret is moved aside with.</summary>
    public const string Suffix = ".revoked";

    public static RevokeOutcome Run(CliContext context, string configPath, string name)
    {
        if (ConfigLoader.Load(configPath, context, quietWarnings: true)?.Config is not { } config
            || !FileText.TryRead(configPath, out var text, out _))
        {
            return new RevokeOutcome(ExitCodes.Usage);
        }

        var door = config.Doors.FirstOrDefault(d => d.Clients.Any(c => c.Name == name));
        if (door is null)
        {
            context.Error.WriteLine(Texts.ClientUnknown(name, configPath, config.Doors.SelectMany(d => d.Clients).Select(c => c.Name)));
            return new RevokeOutcome(ExitCodes.Usage);
        }

        var client = door.Clients.First(c => c.Name == name);
        var edit = ClientsEdit.Remove(text, door.Name, name);
        if (edit.Problem is { } problem)
        {
            context.Error.WriteLine(Texts.Problem(problem.Text));
            return new RevokeOutcome(ExitCodes.Usage);
        }

        var check = ConfigReader.Read(edit.Text!, SecretFiles.Near(configPath));
        if (!check.IsValid)
        {
            foreach (var diagnostic in check.Diagnostics.Where(d => d.Severity == Core.Diagnostics.Severity.Error))
            {
                context.Error.WriteLine(diagnostic.Format(configPath));
            }

            context.Error.WriteLine(Texts.ClientConfigWouldBreak(name));
            return new RevokeOutcome(ExitCodes.Usage);
        }

        var secret = SecretFiles.FullPath(configPath, client.SecretFile);
        string? moved = null;
        try
        {
            ConfigFiles.Replace(configPath, edit.Text!);
            if (File.Exists(secret))
            {
                moved = secret + Suffix;
                File.Move(secret, moved, overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine(Texts.ClientCannotWrite(moved is null ? configPath : secret, FileText.Describe(e)));
            return new RevokeOutcome(ExitCodes.Failure);
        }

        return new RevokeOutcome(ExitCodes.Ok, door, client, moved);
    }
}
