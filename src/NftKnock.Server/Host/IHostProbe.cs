namespace NftKnock.Server.Host;

/// <summary>
/// What doctor reads from the host it runs on, besides nft (that is <see cref="Nftables.INftables"/>):
/// the socket tables, the kernel's clock state, secret files and iptables-legacy's nat rules. <see cref="SystemHost"/> asks the
/// real host, <see cref="FakeHost"/> answers from what a test put in, so doctor's checks are pure.
/// </summary>
public interface IHostProbe
{
    /// <summary>Whether <see cref="SecretFile"/> can judge owners and modes (not on Windows).</summary>
    bool ChecksFileModes { get; }

    /// <summary>The text of <c>/proc/net/</c><paramref name="name"/> (tcp, tcp6, udp, udp6, ip_tables_names) of this network namespace; null when absent.</summary>
    string? ReadProcNet(string name);

    /// <summary>What the kernel says about the system clock.</summary>
    ClockState ReadClock();

    /// <summary>The network namespace this process runs in and the initial one (PID 1's), by inode.</summary>
    NetworkNamespaces ReadNetworkNamespaces();

    /// <summary>A sysctl's value as <c>/proc/sys/</c><paramref name="path"/> holds it, trimmed; null when absent or unreadable.</summary>
    string? ReadSysctl(string path);

    /// <summary>Whether a secret file exists (a dangling link does) and, if so, why it is unsafe by <see cref="SecretFileSafety"/>.</summary>
    SecretFileState SecretFile(string path);

    /// <summary>
    /// What <c><paramref name="binary"/> -t nat -S</c> prints (iptables-legacy, ip6tables-legacy): rules nft
    /// cannot list. Null when the binary is not installed.
    /// </summary>
    /// <exception cref="IOException">The binary ran and failed; the message is its error output.</exception>
    string? ListLegacyNat(string binary);
}

/// <summary>A secret file as the host sees it.</summary>
/// <param name="Exists">False when nothing is at the path, not even a link.</param>
/// <param name="Problem">Why the file is unsafe; null when it is safe.</param>
public sealed record SecretFileState(bool Exists, string? Problem)
{
    /// <summary>Nothing at the path.</summary>
    public static SecretFileState Missing { get; } = new(false, null);

    /// <summary>A file only its owner can read and write, in a directory only they can change.</summary>
    public static SecretFileState Safe { get; } = new(true, null);
}

/// <summary>Network namespaces by the inode of their <c>/proc/PID/ns/net</c> link.</summary>
/// <param name="Current">This process's namespace; null when it cannot be read.</param>
/// <param name="Initial">PID 1's namespace; null when it cannot be read (a process may not look at PID 1's).</param>
public sealed record NetworkNamespaces(long? Current, long? Initial)
{
    /// <summary>
    /// The inode the kernel gives the initial network namespace, fixed since Linux 3.8 (PROC_NET_INIT_INO):
    /// what <see cref="Current"/> is compared with when PID 1's namespace cannot be read.
    /// </summary>
    public const long InitialInode = 0xEFFFFFF9;

    /// <summary>True or false when it can be told whether this process runs in the initial namespace; null otherwise.</summary>
    public bool? InInitial => Current is { } current ? current == (Initial ?? InitialInode) : null;
}
