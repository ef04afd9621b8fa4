using System.Globalization;

namespace NftKnock.Core.Model;

/// <summary>A TCP or UDP port number as every reader takes it: decimal digits only, 1 to 65535.</summary>
public static class Port
{
    /// <summary>The highest port number.</summary>
    public const int Max = 65535;

    /// <summary>
    /// Parses a port: digits only (no sign, space or hex), 1 to <see cref="Max"/>. Config steps and
    /// ranges, profile ports and port arguments all read ports through here.
    /// </summary>
    public static bool TryParse(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= Max;
}
