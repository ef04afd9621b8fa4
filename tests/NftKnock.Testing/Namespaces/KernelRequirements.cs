namespace NftKnock.Testing.Namespaces;

/// <summary>What kernel-facing tests need: root, ip and nft. On CI they fail rather than skip.</summary>
public static class KernelRequirements
{
    private static readonly Lazy<string?> Missing = new(Probe);

    /// <summary>True on CI, where a test that cannot run must fail.</summary>
    public static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why kernel tests cannot run here, or null when they can.</summary>
    public static string? Reason => Missing.Value;

    /// <summary>Throws when the machine cannot run kernel tests (so CI fails loudly).</summary>
    public static void ThrowIfMissing()
    {
        if (Reason is { } reason)
        {
            throw new InvalidOperationException($"Kernel-facing test cannot run: {reason}");
        }
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "needs Linux";
        }

        if (Environment.UserName != "root")
        {
            return "needs root (network namespaces and nftables)";
        }

        foreach (var tool in new[] { "ip", "nft", "bash" })
        {
            if (!new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin" }.Any(d => File.Exists(Path.Combine(d, tool))))
            {
                return $"needs {tool} (apt-get install -y nftables iproute2)";
            }
        }

        return null;
    }
}

/// <summary>A test that sends real packets between namespaces: skipped off CI when the machine cannot, failed on CI.</summary>
public sealed class KernelFactAttribute : FactAttribute
{
    /// <summary>Sets Skip when the machine cannot run kernel tests and this is not CI.</summary>
    public KernelFactAttribute()
    {
        if (KernelRequirements.Reason is { } reason && !KernelRequirements.OnCi)
        {
            Skip = $"Kernel-facing test skipped: {reason}.";
        }
    }
}

/// <summary>A theory variant of <see cref="KernelFactAttribute"/>.</summary>
public sealed class KernelTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets Skip when the machine cannot run kernel tests and this is not CI.</summary>
    public KernelTheoryAttribute()
    {
        if (KernelRequirements.Reason is { } reason && !KernelRequirements.OnCi)
        {
            Skip = $"Kernel-facing test skipped: {reason}.";
        }
    }
}
