namespace NftKnock.Testing.Namespaces;

/// <summary>
/// Hand-made packets (fragments, flag probes) sent by probe.py with scapy from Debian's python3-scapy,
/// which only the system interpreter /usr/bin/python3 sees. Tests that need them skip where the machine
/// cannot send them, and fail on CI.
/// </summary>
public static class Crafted
{
    private const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Missing = new(Probe);

    /// <summary>Why crafted packets cannot be sent here (kernel or scapy), or null when they can.</summary>
    public static string? Reason => KernelRequirements.Reason ?? Missing.Value;

    /// <summary>The script, copied next to the tests.</summary>
    public static string Script { get; } = Path.Combine(AppContext.BaseDirectory, "Namespaces", "probe.py");

    /// <summary>
    /// Runs probe.py in <paramref name="ns"/> and returns its answer line: what came back
    /// (<c>tcp:SA</c>, <c>tcp:RA</c>, <c>icmp:3/3</c> ... or <c>none</c>), or for <c>udp</c> the bytes echoed.
    /// </summary>
    public static async Task<string> ProbeAsync(this Netns ns, params string[] args)
    {
        if (Reason is { } reason)
        {
            throw new InvalidOperationException($"Crafted-packet test cannot run: {reason}");
        }

        var result = (await ns.RunAsync(TimeSpan.FromSeconds(30), Python, [Script, .. args])).EnsureSuccess($"probe.py {string.Join(' ', args)}");
        return result.Stdout.Trim();
    }

    private static string? Probe()
    {
        if (!File.Exists(Python))
        {
            return $"needs {Python} with scapy (apt-get install -y python3-scapy)";
        }

        var check = Proc.RunAsync(Python, ["-c", "import scapy.all"], TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
        return check.ExitCode == 0 ? null : "needs scapy for /usr/bin/python3 (apt-get install -y python3-scapy)";
    }
}

/// <summary>A test with crafted packets: skipped off CI when the machine cannot send them, failed on CI.</summary>
public sealed class CraftedFactAttribute : FactAttribute
{
    /// <summary>Sets Skip when kernel tests or scapy are unavailable and this is not CI.</summary>
    public CraftedFactAttribute()
    {
        if (Crafted.Reason is { } reason && !KernelRequirements.OnCi)
        {
            Skip = $"Crafted-packet test skipped: {reason}.";
        }
    }
}

/// <summary>A theory variant of <see cref="CraftedFactAttribute"/>.</summary>
public sealed class CraftedTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets Skip when kernel tests or scapy are unavailable and this is not CI.</summary>
    public CraftedTheoryAttribute()
    {
        if (Crafted.Reason is { } reason && !KernelRequirements.OnCi)
        {
            Skip = $"Crafted-packet test skipped: {reason}.";
        }
    }
}
