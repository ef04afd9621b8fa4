using NftKnock.Server.Rotation;

namespace NftKnock.Cli;

/// <summary>The rotation services' view of the command's context.</summary>
internal static class RotationContext
{
    /// <summary>Diagnostics, clock, state directory, boot id (read once) and time since boot of <paramref name="context"/>.</summary>
    public static RotationHost Rotation(this CliContext context) => new(
        context.Error,
        context.Time,
        context.Environment(RotationHost.DirectoryVariable) ?? RotationHost.DefaultDirectory,
        context.BootId(),
        FileText.Describe)
    {
        SinceBoot = context.SinceBoot,
    };
}
