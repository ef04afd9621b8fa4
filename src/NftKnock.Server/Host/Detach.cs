using System.Runtime.InteropServices;

namespace NftKnock.Server.Host;

/// <summary>Leaves the caller's session, so its terminal's hangup and its process group's signals no longer reach us.</summary>
public static class Detach
{
    /// <summary>Calls setsid(2); false when it failed (for example when already a group leader).</summary>
    public static bool NewSession() => OperatingSystem.IsLinux() && NativeMethods.setsid() >= 0;

    private static class NativeMethods
    {
        // A plain DllImport: setsid takes nothing and returns an int, so no marshalling (or unsafe code) is involved.
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054, CA5392
        public static extern int setsid();
#pragma warning restore SYSLIB1054, CA5392
    }
}
