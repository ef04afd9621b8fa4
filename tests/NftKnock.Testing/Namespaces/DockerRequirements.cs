namespace NftKnock.Testing.Namespaces;

/// <summary>What the Docker tests need besides the kernel tests' own: dockerd, its client, and a static busybox for the image.</summary>
public static class DockerRequirements
{
    private static readonly Lazy<string?> Missing = new(Probe);

    /// <summary>The docker client that matches the daemon (Debian's), else whatever is on PATH.</summary>
    public static string Client { get; } = File.Exists("/usr/bin/docker") ? "/usr/bin/docker" : "docker";

    /// <summary>busybox-static's binary.</summary>
    public static string Busybox { get; } = "/bin/busybox";

    /// <summary>Why Docker tests cannot run here, or null when they can.</summary>
    public static string? Reason => KernelRequirements.Reason ?? Missing.Value;

    /// <summary>Throws when the machine cannot run Docker tests (so CI fails loudly).</summary>
    public static void ThrowIfMissing()
    {
        if (Reason is { } reason)
        {
            throw new InvalidOperationException($"Docker test cannot run: {reason}");
        }
    }

    private static string? Probe()
    {
        foreach (var tool in new[] { "/usr/sbin/dockerd", "/usr/bin/containerd", "/usr/sbin/runc", "/usr/bin/unshare" })
        {
            if (!File.Exists(tool))
            {
                return $"needs {tool} (apt-get install -y docker.io)";
            }
        }

        if (!Directory.Exists("/etc/docker"))
        {
            return "needs /etc/docker, where dockerd 20.10 writes its key (the docker.io package makes it)";
        }

        return File.Exists(Busybox) && IsStatic(Busybox) ? null : $"needs a static {Busybox} (apt-get install -y busybox-static)";
    }

    /// <summary>An ELF file without an interpreter (PT_INTERP) runs in an empty image.</summary>
    private static bool IsStatic(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2)
        {
            return false;
        }

        var phoff = BitConverter.ToInt64(elf, 32);
        var size = BitConverter.ToUInt16(elf, 54);
        var count = BitConverter.ToUInt16(elf, 56);
        for (var i = 0; i < count; i++)
        {
            var at = phoff + (i * size);
            if (at + 4 > elf.Length || BitConverter.ToUInt32(elf, (int)at) == 3)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A test with a real dockerd in its namespace: skipped off CI when the machine cannot run one, failed on CI.</summary>
public sealed class DockerTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets Skip when Docker or kernel tests are unavailable and this is not CI.</summary>
    public DockerTheoryAttribute()
    {
        if (DockerRequirements.Reason is { } reason && !KernelRequirements.OnCi)
        {
            Skip = $"Docker test skipped: {reason}.";
        }
    }
}
