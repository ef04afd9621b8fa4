using System.Security.Cryptography;
using NftKnock.Core.Config;
using NftKnock.Core.Links;
using NftKnock.Core.Model;
using NftKnock.Core.Rotating;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Host;

namespace NftKnock.Cli.Enrolment;

/// <summary>
/// Enrols a client: checks everything first (name, door, secret directory, the config as it would be),
/// then writes the secret and the one new config line. Bad input writes nothing.
/// </summary>
internal static class ClientAdd
{
    public static AddOutcome Run(CliContext context, AddRequest request)
    {
        if (!NftText.IsClientName(request.Name))
        {
            return Fail(context, Texts.ClientBadName(request.Name));
        }

        if (ConfigLoader.Load(request.ConfigPath, context, quietWarnings: true)?.Config is not { } config
            || !FileText.TryRead(request.ConfigPath, out var text, out _))
        {
            return new AddOutcome(ExitCodes.Usage);
        }

        if (PickDoor(context, config, request.Door) is not { } door)
        {
            return new AddOutcome(ExitCodes.Usage);
        }

        if (HostAndPort(request.Host, door) is not var (host, port))
        {
            return Fail(context, Texts.ClientBadHost(request.Host!));
        }

        if (door.Rotating is not { } rotating)
        {
            context.Error.WriteLine(Texts.ClientStaticDoor(door.Name));
            return Checked(context, request, ClientLink.Static(host, port, door.Name, door.Sequence, $"{host} ({door.Name})"), door.Name);
        }

        return AddRotating(context, request, new Found(config, text, door, rotating, host, port));
    }

    /// <summary>Enrols into a rotating door: a new secret, the one new config line, both checked before either is written.</summary>
    private static AddOutcome AddRotating(CliContext context, AddRequest request, Found found)
    {
        if (found.Config.Doors.FirstOrDefault(d => d.Rotating?.Clients.Any(c => c.Name == request.Name) == true) is { } holder)
        {
            return Fail(context, Texts.ClientExists(request.Name, holder.Name));
        }

        if (NewSecretPath(context, request) is not { } secretPath)
        {
            return new AddOutcome(ExitCodes.Usage);
        }

        var secret = RandomNumberGenerator.GetBytes(RotatingDerivation.MinSecretBytes);
        if (Edited(context, request, found, secretPath, secret) is not { } edit)
        {
            return new AddOutcome(ExitCodes.Usage);
        }

        var link = ClientLink.Rotating(found.Host, found.Port, found.Rotating.Spec(found.Door.Name), secret, request.Name, $"{found.Host} ({request.Name})");
        if (Checked(context, request, link, found.Door.Name) is { Code: not ExitCodes.Ok } bad)
        {
            return bad;
        }

        if (Write(context, request, secretPath, secret, edit.Text!) is { } failed)
        {
            return failed;
        }

        if (edit.Converted)
        {
            context.Error.WriteLine(Texts.ClientConverted(found.Door.Name));
        }

        return new AddOutcome(ExitCodes.Ok, link, found.Door.Name, secretPath, found.Text);
    }

    /// <summary>Where the new secret goes, in a directory only root can write and with no file there yet; null after saying why not.</summary>
    private static string? NewSecretPath(CliContext context, AddRequest request)
    {
        var dir = Path.GetFullPath(request.SecretDir ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(request.ConfigPath)) ?? ".", "clients"));
        if (SecretFileSafety.DirectoryProblem(dir) is { } unsafeDir)
        {
            Fail(context, Texts.ClientSecretDirUnsafe(dir, unsafeDir));
            return null;
        }

        var secretPath = Path.Combine(dir, request.Name + ".secret");
        if (File.Exists(secretPath) || Directory.Exists(secretPath))
        {
            Fail(context, Texts.ClientSecretExists(secretPath));
            return null;
        }

        return secretPath;
    }

    /// <summary>The config with the client's line added, read as apply would read it; null after printing why it would not be valid.</summary>
    private static ClientsEdit.Result? Edited(CliContext context, AddRequest request, Found found, string secretPath, byte[] secret)
    {
        var edit = ClientsEdit.Add(found.Text, found.Door.Name, ClientsEdit.Entry(request.Name, secretPath, request.Extras));
        if (edit.Problem is { } problem)
        {
            Fail(context, Texts.Problem(problem.Text));
            return null;
        }

        var check = ConfigReader.Read(edit.Text!, ConfigFiles.With(request.ConfigPath, secretPath, secret));
        if (check.IsValid)
        {
            return edit;
        }

        foreach (var diagnostic in check.Diagnostics.Where(d => d.Severity == Core.Diagnostics.Severity.Error))
        {
            context.Error.WriteLine(diagnostic.Format(request.ConfigPath));
        }

        Fail(context, Texts.ClientConfigWouldBreak(request.Name));
        return null;
    }

    /// <summary>Writes the secret, then the config; if the config cannot be written the secret goes again. Null when both were written.</summary>
    private static AddOutcome? Write(CliContext context, AddRequest request, string secretPath, byte[] secret, string config)
    {
        try
        {
            ConfigFiles.CreateSecret(secretPath, secret);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(context, Texts.ClientCannotWrite(secretPath, FileText.Describe(e)), ExitCodes.Failure);
        }

        try
        {
            ConfigFiles.Replace(request.ConfigPath, config);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(secretPath);
            return Fail(context, Texts.ClientCannotWrite(request.ConfigPath, FileText.Describe(e)), ExitCodes.Failure);
        }
    }

    /// <summary>What the checks before writing found: the config as read and as text, the door, and where the client will knock.</summary>
    private sealed record Found(ServerConfig Config, string Text, Door Door, RotatingDoor Rotating, string Host, int? Port);

    /// <summary>Puts the config back as it was and removes the secret, after an apply that did not go through.</summary>
    public static void Undo(CliContext context, AddRequest request, AddOutcome added)
    {
        ConfigFiles.Replace(request.ConfigPath, added.PreviousConfig!);
        File.Delete(added.SecretPath!);
        context.Error.WriteLine(Texts.ClientAddReverted(request.Name, request.ConfigPath));
    }

    /// <summary>The link must read back as written (a host that does not fit a link is bad input).</summary>
    private static AddOutcome Checked(CliContext context, AddRequest request, ClientLink link, string door) =>
        ClientLink.TryParse(link.Format(), out _, out var problem)
            ? new AddOutcome(ExitCodes.Ok, link, door)
            : Fail(context, problem!.Value.Code is "NK244" && problem.Value.Text.Contains("host", StringComparison.Ordinal)
                ? Texts.ClientBadHost(request.Host ?? link.Host)
                : Texts.Problem(problem.Value.Text));

    private static Door? PickDoor(CliContext context, ServerConfig config, string? name)
    {
        var names = config.Doors.Select(d => d.Name).ToList();
        if (name is not null)
        {
            var door = config.Doors.FirstOrDefault(d => d.Name == name);
            if (door is null)
            {
                context.Error.WriteLine(Texts.ClientUnknownDoor(name, names));
            }

            return door;
        }

        var rotating = config.Doors.Where(d => d.Rotating is not null).ToList();
        if (rotating.Count == 1 || config.Doors.Count == 1)
        {
            return rotating.Count == 1 ? rotating[0] : config.Doors[0];
        }

        context.Error.WriteLine(Texts.ClientWhichDoor(names));
        return null;
    }

    /// <summary>
    /// HOST, HOST:PORT, [IPv6]:PORT or a bare IPv6 address; without a port, the door's when it protects
    /// exactly one. Null when the text is none of these.
    /// </summary>
    internal static (string Host, int? Port)? HostAndPort(string? text, Door door)
    {
        int? fallback = door.Protect is [{ IsSingle: true } only] ? only.First : null;
        if (text is null)
        {
            return (System.Net.Dns.GetHostName(), fallback);
        }

        var colons = text.Count(c => c == ':');
        string host;
        string? portText = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return null;
            }

            host = text[1..close];
            portText = close + 1 < text.Length ? (text[close + 1] == ':' ? text[(close + 2)..] : "x") : null;
        }
        else if (colons == 1)
        {
            host = text[..text.IndexOf(':', StringComparison.Ordinal)];
            portText = text[(host.Length + 1)..];
        }
        else
        {
            host = text;
        }

        if (portText is null)
        {
            return host.Length > 0 ? (host, fallback) : null;
        }

        return host.Length > 0 && Core.Model.Port.TryParse(portText, out var port) ? (host, port) : null;
    }

    private static AddOutcome Fail(CliContext context, string line, int code = ExitCodes.Usage)
    {
        context.Error.WriteLine(line);
        return new AddOutcome(code);
    }
}
