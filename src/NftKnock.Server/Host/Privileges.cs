using System.Globalization;

namespace NftKnock.Server.Host;

/// <summary>Whether this process may change the ruleset.</summary>
public static class Privileges
{
    private const int CapNetAdmin = 12;

    /// <summary>True for root or a process with CAP_NET_ADMIN in its effective set.</summary>
    public static bool IsPrivileged()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                {
                    var mask = ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    return (mask & (1UL << CapNetAdmin)) != 0;
                }
            }
        }
        catch (IOException)
        {
        }

        return Environment.UserName == "root";
    }
}
