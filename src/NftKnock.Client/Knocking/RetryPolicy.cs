namespace NftKnock.Client.Knocking;

/// <summary>
/// How hard the client tries: the number of knock-and-connect attempts, the gap between knocks,
/// the connect timeout and the pause between attempts.
/// </summary>
/// <remarks>
/// The first attempt is built for a clean link: each knock once, back to back (<see cref="Gap"/> is
/// zero unless asked for), and the connection at once. One thread sends them to one address over one
/// route, so they leave in order; loopback and veth keep that order, and on the wire reordering is
/// rare, so the common case pays no gap and a reordered knock costs one retry. A failed attempt on a bad link means a lost or reordered packet, so every
/// retry is built to survive both: each knock is sent twice (the door ignores a repeat of the step
/// just done, so the copy costs nothing and survives one loss), the knocks are spaced wider than a
/// link reorders (<see cref="GapGrowth"/> more on each retry), and the connection waits one gap
/// after the last knock so that its SYN cannot overtake it. Timeouts and pauses grow by a fixed
/// step rather than doubling, so that many short attempts fit in the first few seconds.
/// </remarks>
/// <param name="Attempts">Knock-and-connect attempts, at least 1.</param>
/// <param name="Gap">The gap between two knocks on the first attempt.</param>
/// <param name="ConnectTimeout">How long the first attempt waits for the connection.</param>
/// <param name="BackOff">The pause before the second attempt; each later pause is one more of it.</param>
public sealed record RetryPolicy(int Attempts, TimeSpan Gap, TimeSpan ConnectTimeout, TimeSpan BackOff)
{
    /// <summary>The most attempts a profile or option may ask for.</summary>
    public const int MaxAttempts = 20;

    /// <summary>
    /// No gap on the first attempt: three knocks and a connect back to back took 0.37 ms in one
    /// process against 2.66 ms with 1 ms gaps (sleeps wake late). Each retry adds
    /// <see cref="GapGrowth"/> so that packets reordered in transit arrive in order.
    /// </summary>
    public static readonly TimeSpan DefaultGap = TimeSpan.Zero;

    /// <summary>
    /// Longer than any terrestrial round trip, short enough that a lost knock or SYN costs little
    /// before the retry. The attempt's socket is closed when it expires, so a SYN retransmit of a
    /// longer, later attempt stays inside that attempt and never lands in the next one's knocks.
    /// </summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromMilliseconds(400);

    /// <summary>The pause before the second attempt: enough for the last attempt's packets in flight to land.</summary>
    public static readonly TimeSpan DefaultBackOff = TimeSpan.FromMilliseconds(100);

    /// <summary>What each retry adds to the gap between knocks: the first retry's 25 ms is wider than a 20 ms reorder.</summary>
    public static readonly TimeSpan GapGrowth = TimeSpan.FromMilliseconds(25);

    /// <summary>The longest gap, pause and connect timeout that back-off grows to.</summary>
    public static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(8);

    /// <summary>
    /// Eight attempts: a clean link gets in on the first; the bench's bad link (one packet in ten
    /// lost, a quarter reordered by 20 ms: bench/badlink.sh) got in within 5 s in every measured
    /// attempt. A door that never opens is given up after about 14 s.
    /// </summary>
    public static RetryPolicy Default { get; } = new(8, DefaultGap, DefaultConnectTimeout, DefaultBackOff);

    /// <summary>The gap between knocks on attempt <paramref name="attempt"/> (0-based).</summary>
    public TimeSpan GapFor(int attempt) => Min(Gap + (GapGrowth * attempt), Ceiling);

    /// <summary>How many times each knock is sent on attempt <paramref name="attempt"/> (0-based): once on the first, twice on retries.</summary>
    public static int CopiesFor(int attempt) => attempt == 0 ? 1 : 2;

    /// <summary>
    /// The wait between the last knock and the connection on attempt <paramref name="attempt"/> (0-based):
    /// none on the first, one gap on retries so the SYN arrives after the last knock.
    /// </summary>
    public TimeSpan SettleFor(int attempt) => attempt == 0 ? TimeSpan.Zero : GapFor(attempt);

    /// <summary>The connect timeout on attempt <paramref name="attempt"/> (0-based): grows by half the first one each retry.</summary>
    public TimeSpan ConnectTimeoutFor(int attempt) =>
        Min(ConnectTimeout + (ConnectTimeout * (attempt / 2.0)), Max(Ceiling, ConnectTimeout));

    /// <summary>The pause before attempt <paramref name="attempt"/> (0-based): none before the first, then one more back-off each retry.</summary>
    public TimeSpan PauseBefore(int attempt) => Min(BackOff * attempt, Ceiling);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
