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
