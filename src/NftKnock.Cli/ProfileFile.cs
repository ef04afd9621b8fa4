using NftKnock.Client;
using NftKnock.Client.Profiles;
using NftKnock.Client.Settings;
using NftKnock.Server.Host;

namespace NftKnock.Cli;

/// <summary>Reads the client's profiles file from disk for <see cref="ClientSettings"/>.</summary>
internal static class ProfileFile
{
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
