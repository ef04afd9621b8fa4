namespace NftKnock.Client.Knocking;

/// <summary>
/// How hard the client tries: the number of knock-and-connect attempts, the gap between knocks,
/// the connect timeout and the pause between attempts. Later attempts stretch all three, because
/// a failure on a bad link usually means reordered or delayed packets.
/// </summary>
/// <param name="Attempts">Knock-and-connect attempts, at least 1.</param>
/// <param name="Gap">The gap between two knocks on the first attempt.</param>
/// <param name="ConnectTimeout">How long the first attempt waits for the connection.</param>
/// <param name="BackOff">The pause before the second attempt; it doubles for each attempt after that.</param>
public sealed record RetryPolicy(int Attempts, TimeSpan Gap, TimeSpan ConnectTimeout, TimeSpan BackOff)
{
    /// <summary>The most attempts a profile or option may ask for.</summary>
    public const int MaxAttempts = 20;

    /// <summary>
    /// A 1 ms gap keeps the whole knock well inside a few milliseconds on a clean link; each retry
    /// adds <see cref="GapGrowth"/> so that packets reordered in transit arrive in order.
    /// </summary>
    public static readonly TimeSpan DefaultGap = TimeSpan.FromMilliseconds(1);

    /// <summary>Below Linux's first SYN retransmit (1 s), so a failed attempt never retransmits.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromMilliseconds(900);

    /// <summary>The pause before the second attempt.</summary>
    public static readonly TimeSpan DefaultBackOff = TimeSpan.FromMilliseconds(100);

    /// <summary>What each retry adds to the gap between knocks.</summary>
    public static readonly TimeSpan GapGrowth = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest gap, pause and connect timeout that back-off grows to.</summary>
    public static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(8);

    /// <summary>Four attempts: a clean link gets in on the first, a bad one within about 10 s.</summary>
    public static RetryPolicy Default { get; } = new(4, DefaultGap, DefaultConnectTimeout, DefaultBackOff);

    /// <summary>The gap between knocks on attempt <paramref name="attempt"/> (0-based).</summary>
    public TimeSpan GapFor(int attempt) => Min(Gap + (GapGrowth * attempt), Ceiling);

    /// <summary>The connect timeout on attempt <paramref name="attempt"/> (0-based): doubles each time.</summary>
    public TimeSpan ConnectTimeoutFor(int attempt) => Min(ConnectTimeout * Math.Pow(2, Math.Min(attempt, 10)), Max(Ceiling, ConnectTimeout));

    /// <summary>The pause before attempt <paramref name="attempt"/> (0-based): none before the first, then doubling.</summary>
    public TimeSpan PauseBefore(int attempt) =>
        attempt == 0 ? TimeSpan.Zero : Min(BackOff * Math.Pow(2, Math.Min(attempt - 1, 10)), Ceiling);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
