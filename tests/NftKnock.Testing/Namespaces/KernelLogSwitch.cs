using System.Globalization;

namespace NftKnock.Testing.Namespaces;

/// <summary>
/// Lets the kernel log netfilter lines from the tests' namespaces: <c>net.netfilter.nf_log_all_netns</c>,
/// a sysctl of the initial namespace (the one the tests run in), set to 1 for the test and put back as it
/// was when disposed. Without it the kernel drops log lines from every namespace but the initial one.
/// </summary>
public sealed class KernelLogSwitch : IDisposable
{
    /// <summary>The sysctl's file.</summary>
    public const string Path = "/proc/sys/net/netfilter/nf_log_all_netns";

    private readonly string old;

    private KernelLogSwitch(string old) => this.old = old;

    /// <summary>Sets the sysctl to 1 and remembers its value.</summary>
    public static KernelLogSwitch Enable()
    {
        KernelRequirements.ThrowIfMissing();
        var old = File.ReadAllText(Path).Trim();
        File.WriteAllText(Path, "1\n");
        return new KernelLogSwitch(old);
    }

    /// <summary>The value it had before, as the kernel printed it.</summary>
    public int Before => int.Parse(old, CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public void Dispose() => File.WriteAllText(Path, old + "\n");
}
