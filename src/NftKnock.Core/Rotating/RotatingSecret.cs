namespace NftKnock.Core.Rotating;

/// <summary>Reads the text of a secret file: one line of base64, at least 32 bytes decoded.</summary>
public static class RotatingSecret
{
    /// <summary>Why a secret text was refused.</summary>
    public enum Problem
    {
        /// <summary>Accepted.</summary>
        None,

        /// <summary>Not a single line of base64.</summary>
        NotBase64,

        /// <summary>Decodes to fewer than 32 bytes.</summary>
        TooShort,
    }

    /// <summary>Decodes <paramref name="text"/>; a trailing newline is fine, anything else is not.</summary>
    public static Problem TryParse(string text, out byte[] secret)
    {
        secret = [];
        var line = text.TrimEnd('\r', '\n');
        if (line.Length == 0 || line.Contains('\n', StringComparison.Ordinal) || line.Trim().Length != line.Length)
        {
            return Problem.NotBase64;
        }

        var buffer = new byte[line.Length];
        if (!Convert.TryFromBase64String(line, buffer, out var written))
        {
            return Problem.NotBase64;
        }

        if (written < RotatingDerivation.MinSecretBytes)
        {
            return Problem.TooShort;
        }

        secret = buffer[..written];
        return Problem.None;
    }

    /// <summary>The text a secret file holds for <paramref name="secret"/>.</summary>
    public static string Format(ReadOnlySpan<byte> secret) => Convert.ToBase64String(secret) + "\n";
}
