using System.Globalization;
using NftKnock.Core.Model;

namespace NftKnock.Server.Host;

/// <summary>
/// A host that answers from what a test put in: sockets that listen, the clock's state, secret files
/// and their problems. It lives beside <see cref="SystemHost"/>, as <c>FakeNftables</c> does beside
/// nft's seam, and nothing it answers touches the machine the tests run on.
/// </summary>
public sealed class FakeHost : IHostProbe
{
    private const string ProcNetHeader = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    /// <summary>What the kernel says about the clock.</summary>
    public ClockState Clock { get; set; } = ClockState.Synchronised;

    /// <summary>The files of <c>/proc/net</c> by name (tcp, tcp6, udp, udp6); <see cref="Listen"/> fills them.</summary>
    public Dictionary<string, string> ProcNet { get; } = new(StringComparer.Ordinal);

    /// <summary>Secret files by path, with why each is unsafe (null: safe); a path not here is missing.</summary>
    public Dictionary<string, string?> SecretFiles { get; } = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public bool ChecksFileModes { get; set; } = true;

    /// <summary>What <c>iptables-legacy -t nat -S</c> and the like print, by binary; a binary not here is not installed.</summary>
    public Dictionary<string, string> LegacyNat { get; } = new(StringComparer.Ordinal);

    /// <summary>The binaries <see cref="ListLegacyNat"/> was asked to run, in order.</summary>
    public List<string> LegacyRuns { get; } = [];

    /// <summary>A socket that listens on <paramref name="port"/>, written as <c>/proc/net/tcp</c> or <c>udp</c> shows it.</summary>
    public FakeHost Listen(Protocol protocol, int port)
    {
        var (file, state) = protocol == Protocol.Tcp ? ("tcp", "0A") : ("udp", "07");
        var text = ProcNet.GetValueOrDefault(file, ProcNetHeader);
        var line = text.Count(c => c == '\n') - 1;
        ProcNet[file] = text + string.Create(CultureInfo.InvariantCulture, $"  {line,3}: 00000000:{port:X4} 00000000:0000 {state} 00000000:00000000 00:00000000 00000000     0        0 {1000 + line} 1\n");
        return this;
    }

    /// <summary>The namespaces this process and PID 1 run in; unknown unless a test says.</summary>
    public NetworkNamespaces Namespaces { get; set; } = new(null, null);

    /// <summary>Sysctls by path under /proc/sys (<c>net/netfilter/nf_log_all_netns</c>); a path not here is absent.</summary>
    public Dictionary<string, string> Sysctls { get; } = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public NetworkNamespaces ReadNetworkNamespaces() => Namespaces;

    /// <inheritdoc/>
    public string? ReadSysctl(string path) => Sysctls.GetValueOrDefault(path);

    /// <inheritdoc/>
    public string? ReadProcNet(string name) => ProcNet.GetValueOrDefault(name);

    /// <inheritdoc/>
    public ClockState ReadClock() => Clock;

    /// <inheritdoc/>
    public SecretFileState SecretFile(string path) =>
        SecretFiles.TryGetValue(path, out var problem) ? new SecretFileState(true, problem) : SecretFileState.Missing;

    /// <inheritdoc/>
    public string? ListLegacyNat(string binary)
    {
        LegacyRuns.Add(binary);
        return LegacyNat.GetValueOrDefault(binary);
    }
}
