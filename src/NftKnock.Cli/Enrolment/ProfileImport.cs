using NftKnock.Client.Profiles;
using NftKnock.Core.Links;

namespace NftKnock.Cli.Enrolment;

/// <summary>Merges a link's profile into the profiles file on disk, owner-only, and says what it did.</summary>
internal static class ProfileImport
{
    public static int Write(CliContext context, string path, ClientLink link, bool replace)
    {
        string? text = null;
        if (File.Exists(path) && !FileText.TryRead(path, out text, out var reason))
        {
            context.Error.WriteLine(Client.ClientTexts.CannotReadProfiles(path, reason));
            return ExitCodes.Usage;
        }

        var merged = ProfileMerge.Merge(text, link, replace);
        switch (merged.Outcome)
        {
            case ProfileMerge.Outcome.DifferentSecret:
                context.Error.WriteLine(link.IsRotating ? Texts.ImportDifferentSecret(link.Host, link.Door, path) : Texts.ImportDifferentProfile(link.Host, path));
                return ExitCodes.Usage;
            case ProfileMerge.Outcome.CannotEdit:
                context.Error.WriteLine(Texts.ImportCannotEdit(link.Host, path));
                return ExitCodes.Usage;
            case ProfileMerge.Outcome.Unchanged:
                context.Error.WriteLine(Texts.ImportUnchanged(link.Host, path));
                return ExitCodes.Ok;
        }

        var check = ProfileReader.Read(merged.Text!);
        if (check.Profiles is null)
        {
            foreach (var diagnostic in check.Diagnostics)
            {
                context.Error.WriteLine(diagnostic.Format(path));
            }

            context.Error.WriteLine(Texts.ImportCannotEdit(link.Host, path));
            return ExitCodes.Usage;
        }

        try
        {
            WriteOwnerOnly(path, merged.Text!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine(Texts.ClientCannotWrite(path, FileText.Describe(e)));
            return ExitCodes.Failure;
        }

        context.Error.WriteLine(Texts.ImportWrote(link.Host, path, merged.Outcome == ProfileMerge.Outcome.Replaced));
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Writes the profiles file for its owner alone: its folder, when missing, is created owner-only,
    /// and the file replaced whole and left readable by its owner only.
    /// </summary>
    private static void WriteOwnerOnly(string path, string text)
    {
        ConfigFiles.CreateFolderOf(path);
        ConfigFiles.Replace(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
