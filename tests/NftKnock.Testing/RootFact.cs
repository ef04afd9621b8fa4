namespace NftKnock.Testing;

/// <summary>
/// A unit test that needs root without needing the kernel: it makes a file another user's (chown), which only
/// root can. Skipped in the rootless fast loop, and failed on CI (which runs as root), like a kernel test.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    /// <summary>Sets Skip when not root and this is not CI.</summary>
    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess && !Namespaces.KernelRequirements.OnCi)
        {
            Skip = "Skipped without root: only root can give a file to another user.";
        }
    }
}
