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

        if (HostAndPort(request.Host, door, () => ServerName.Pick(context).Name) is not var (host, port))
        {
            return Fail(context, Texts.ClientBadHost(request.Host!));
        }

        if (door.Rotating is not { } rotating)
        {
            context.Error.WriteLine(Texts.ClientStaticDoor(door.Name));
            return Checked(context, request, ClientLink.Static(host, port, door.Name, door.Sequence, $"{host} ({door.Name})"), door.Name);
        }

        if (config.Doors.FirstOrDefault(d => d.Rotating?.Clients.Any(c => c.Name == request.Name) == true) is { } holder)
        {
            return Fail(context, Texts.ClientExists(request.Name, holder.Name));
        }

        var dir = Path.GetFullPath(request.SecretDir ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(request.ConfigPath)) ?? ".", "clients"));
        if (SecretFileSafety.DirectoryProblem(dir) is { } unsafeDir)
        {
            return Fail(context, Texts.ClientSecretDirUnsafe(dir, unsafeDir));
        }

        var secretPath = Path.Combine(dir, request.Name + ".secret");
        if (File.Exists(secretPath) || Directory.Exists(secretPath))
        {
            return Fail(context, Texts.ClientSecretExists(secretPath));
        }

        var secret = RandomNumberGenerator.GetBytes(RotatingDerivation.MinSecretBytes);
        var edit = ClientsEdit.Add(text, door.Name, ClientsEdit.Entry(request.Name, secretPath, request.Extras));
        if (edit.Problem is { } problem)
        {
            return Fail(context, Texts.Problem(problem.Text));
        }

        var check = ConfigReader.Read(edit.Text!, ConfigFiles.With(request.ConfigPath, secretPath, secret));
        if (!check.IsValid)
        {
            foreach (var diagnostic in check.Diagnostics.Where(d => d.Severity == Core.Diagnostics.Severity.Error))
            {
                context.Error.WriteLine(diagnostic.Format(request.ConfigPath));
            }

            return Fail(context, Texts.ClientConfigWouldBreak(request.Name));
        }

        var link = ClientLink.Rotating(host, port, rotating.Spec(door.Name), secret, request.Name, $"{host} ({request.Name})");
        if (Checked(context, request, link, door.Name) is { Code: not ExitCodes.Ok } bad)
        {
            return bad;
        }

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
            ConfigFiles.Replace(request.ConfigPath, edit.Text!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(secretPath);
            return Fail(context, Texts.ClientCannotWrite(request.ConfigPath, FileText.Describe(e)), ExitCodes.Failure);
        }

        if (edit.Converted)
        {
            context.Error.WriteLine(Texts.ClientConverted(door.Name));
        }

        return new AddOutcome(ExitCodes.Ok, link, door.Name, secretPath, text);
    }

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
    /// exactly one; without text, <paramref name="thisMachine"/>'s name. Null when the text is none of these.
    /// </summary>
    internal static (string Host, int? Port)? HostAndPort(string? text, Door door, Func<string> thisMachine)
    {
        int? fallback = door.Protect is [{ IsSingle: true } only] ? only.First : null;
        if (text is null)
        {
            return (thisMachine(), fallback);
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
