using NftKnock.Client.Knocking;

namespace NftKnock.Client.Settings;

/// <summary>The range a duration setting must fall in, whether a profile or an option gives it.</summary>
/// <param name="Min">The shortest allowed.</param>
/// <param name="Max">The longest allowed.</param>
public readonly record struct DurationLimit(TimeSpan Min, TimeSpan Max)
{
    /// <summary>True when <paramref name="value"/> lies in the range, ends included.</summary>
    public bool Contains(TimeSpan value) => value >= Min && value <= Max;
}

/// <summary>The bounds of the client's retry settings: the profiles file and the command line both check against these.</summary>
public static class ClientLimits
{
    /// <summary>The fewest knock-and-connect attempts.</summary>
    public const int MinAttempts = 1;

    /// <summary>The most knock-and-connect attempts.</summary>
    public const int MaxAttempts = RetryPolicy.MaxAttempts;

    /// <summary>The gap between knocks (<c>gap:</c>, <c>--gap</c>).</summary>
    public static readonly DurationLimit Gap = new(TimeSpan.Zero, TimeSpan.FromSeconds(2));

    /// <summary>The first attempt's connect timeout (<c>connect-timeout:</c>, <c>--connect-timeout</c>).</summary>
    public static readonly DurationLimit ConnectTimeout = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1));

    /// <summary>The pause before the second attempt (<c>back-off:</c>, <c>--back-off</c>).</summary>
    public static readonly DurationLimit BackOff = new(TimeSpan.Zero, TimeSpan.FromSeconds(30));

    /// <summary>True when <paramref name="attempts"/> is an allowed number of attempts.</summary>
    public static bool AttemptsAllowed(int attempts) => attempts is >= MinAttempts and <= MaxAttempts;
}
