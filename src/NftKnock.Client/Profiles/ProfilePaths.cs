namespace NftKnock.Client.Profiles;

/// <summary>Where the client profiles live.</summary>
public static class ProfilePaths
{
    /// <summary>The file name inside the nftknock config folder.</summary>
    public const string FileName = "client.yaml";

    /// <summary>
    /// <c>%APPDATA%\nftknock\client.yaml</c> on Windows; elsewhere <c>$XDG_CONFIG_HOME/nftknock/client.yaml</c>,
    /// falling back to <c>~/.config/nftknock/client.yaml</c>. Null when no home folder is known.
    /// </summary>
    public static string? Default(Func<string, string?> environment, bool windows)
    {
        if (windows)
        {
            return environment("APPDATA") is { Length: > 0 } appData ? Path.Join(appData, "nftknock", FileName) : null;
        }

        if (environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg))
        {
            return Path.Join(xdg, "nftknock", FileName);
        }

        return environment("HOME") is { Length: > 0 } home ? Path.Join(home, ".config", "nftknock", FileName) : null;
    }
}
