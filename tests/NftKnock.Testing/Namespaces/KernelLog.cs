namespace NftKnock.Testing.Namespaces;

/// <summary>
/// The kernel log as tests read it. Netfilter writes log lines from a namespace other than the
/// host's only while the host-wide <c>net.netfilter.nf_log_all_netns</c> is 1, so a test that
/// reads them switches it on and, when disposed, puts back what it found.
/// </summary>
public sealed class KernelLog : IDisposable
{
    private const string Switch = "/proc/sys/net/netfilter/nf_log_all_netns";

    private readonly string? previous;

    /// <summary>Switches namespace log lines on (kernel tests only: needs root).</summary>
    public KernelLog()
    {
        if (KernelRequirements.Reason is not null)
        {
            return;
        }

        previous = File.ReadAllText(Switch).Trim();
        File.WriteAllText(Switch, "1");
    }

    /// <summary>The kernel log's lines that contain <paramref name="prefix"/>, from where it starts.</summary>
    public static async Task<IReadOnlyList<string>> LinesAsync(string prefix)
    {
        var dmesg = (await Proc.RunAsync("dmesg", [], TimeSpan.FromSeconds(30))).EnsureSuccess("dmesg");
        return dmesg.Stdout.Split('\n').Where(l => l.Contains(prefix, StringComparison.Ordinal)).Select(l => l[l.IndexOf(prefix, StringComparison.Ordinal)..]).ToList();
    }

    /// <summary>Waits up to <paramref name="seconds"/> for at least <paramref name="count"/> lines with <paramref name="prefix"/>.</summary>
    public static async Task<IReadOnlyList<string>> WaitForAsync(string prefix, int count = 1, double seconds = 5)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var lines = await LinesAsync(prefix);
            if (lines.Count >= count || DateTime.UtcNow > until)
            {
                return lines;
            }

            await Task.Delay(100);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (previous is not null)
        {
            File.WriteAllText(Switch, previous);
        }
    }
}
