using NftKnock.Server.Rotation;

namespace NftKnock.Cli;

/// <summary>The rotation services' view of the command's context.</summary>
internal static class RotationContext
{
    /// <summary>Diagnostics, clock, state directory and boot id of <paramref name="context"/>, read once.</summary>
    public static RotationHost Rotation(this CliContext context) => new(
        context.Error,
        context.Time,
        context.Environment(RotationHost.DirectoryVariable) ?? RotationHost.DefaultDirectory,
        context.BootId(),
        FileText.Describe);
}
