using NftKnock.Client;
using NftKnock.Client.Profiles;
using NftKnock.Client.Settings;
using NftKnock.Server.Host;

namespace NftKnock.Cli;

/// <summary>Reads the client's profiles file from disk for <see cref="ClientSettings"/>.</summary>
internal static class ProfileFile
{
    /// <summary>
    /// The target of a knock or connect: <paramref name="options"/>, <paramref name="host"/> and
    /// <paramref name="steps"/> merged with the profiles file (see <see cref="ClientSettings.Resolve"/>);
    /// null after saying the first problem on stderr.
    /// </summary>
    public static ClientTarget? Resolve(ClientArgs options, string host, string[] steps, CliContext context) =>
        ClientSettings.Resolve(options, host, steps, given => Load(given, context), context.Error.WriteLine);

    /// <summary>
    /// Reads the profiles file: <paramref name="given"/> (which must exist), else the default one
    /// when it exists. Null after printing why the file is unusable.
    /// </summary>
    public static LoadedProfiles? Load(string? given, CliContext context)
    {
        var path = given ?? ProfilePaths.Default(context.Environment, OperatingSystem.IsWindows());
        if (path is null || (given is null && !File.Exists(path)))
        {
            return new LoadedProfiles(ProfileSet.Empty, path);
        }

        if (!FileText.TryRead(path, out var text, out var reason))
        {
            context.Error.WriteLine(ClientTexts.CannotReadProfiles(path, reason));
            return null;
        }

        var result = ProfileReader.Read(text, SecretFiles.Near(path), SecretFileSafety.Problem(path));
        foreach (var diagnostic in result.Diagnostics)
        {
            context.Error.WriteLine(diagnostic.Format(path));
        }

        return result.Profiles is null ? null : new LoadedProfiles(result.Profiles, path);
    }

}
