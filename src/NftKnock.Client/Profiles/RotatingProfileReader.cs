using NftKnock.Client.Rotating;
using NftKnock.Core.Config;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Rotating;
using NftKnock.Core.Yaml;

namespace NftKnock.Client.Profiles;

/// <summary>
/// Reads a host's <c>rotating:</c>: the door's name, the secret (inline or a file) and the same
/// derivation keys, defaults and checks as the server's door.
/// </summary>
public static class RotatingProfileReader
{
    internal static readonly string[] Keys = ["door", "secret", "secret-file", "knocks", "period", "ports", "exclude"];

    /// <summary>
    /// The source for <paramref name="node"/>, or null after reporting why it is unusable.
    /// <paramref name="secrets"/> reads <c>secret-file:</c>; without it a secret file is not read
    /// and the host is left without a source. An inline <c>secret:</c> in a file that is unsafe
    /// (<paramref name="fileUnsafe"/> says why) draws a warning.
    /// </summary>
    public static RotatingSource? Read(YamlNode node, string path, SecretReader? secrets, DiagnosticBag bag, string? fileUnsafe = null)
    {
        var view = MappingView.Open(node, path, "rotating", Keys, bag);
        if (view is null)
        {
            return null;
        }

        var door = view.Scalar("door");
        if (door is null)
        {
            bag.Error(Messages.ProfileNoDoor(), path, node);
        }

        var errors = bag.Items.Count(d => d.Severity == Severity.Error);
        var spec = RotatingReader.ReadSpec(view, door?.Value ?? string.Empty, node, bag);
        var inline = view.Scalar("secret");
        var file = view.Scalar("secret-file");
        byte[] secret = [];
        if (inline is not null && file is not null)
        {
            bag.Error(Messages.ProfileSecretTwice(), view.Child("secret-file"), file);
        }
        else if (inline is not null)
        {
            if (RotatingSecret.TryParse(inline.Value, out secret) != RotatingSecret.Problem.None)
            {
                bag.Error(Messages.ProfileBadSecret(), view.Child("secret"), inline);
            }
            else if (fileUnsafe is not null)
            {
                bag.Warning(Messages.InlineSecretExposed(fileUnsafe), view.Child("secret"), inline);
            }
        }
        else if (file is not null)
        {
            secret = secrets is null ? [] : RotatingReader.ReadSecretFile(file, view.Child("secret-file"), secrets, bag, unsafeIsError: false);
        }
        else
        {
            bag.Error(Messages.ProfileNoSecret(), path, node);
        }

        if (door is null || secret.Length == 0 || bag.Items.Count(d => d.Severity == Severity.Error) > errors)
        {
            return null;
        }

        RotatingSequence.TryCreate(spec, RotatingSecret.Format(secret), out var sequence);
        return new RotatingSource(sequence!);
    }
}
