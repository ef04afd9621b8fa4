using NftKnock.Client.Knocking;
using NftKnock.Core.Model;

namespace NftKnock.Client.Rotating;

/// <summary>
/// A profile's <c>rotating:</c> as a sequence source: each attempt knocks one window, in the order
/// current, next, previous, so ±1 period of clock skew (or a window another of our addresses
/// already owns) costs at most two retries.
/// </summary>
public sealed class RotatingSource(RotatingSequence sequence) : ISequenceSource
{
    /// <summary>Windows tried before the clock is suspect.</summary>
    public const int WindowsPerRound = 3;

    /// <summary>The derivation behind this source.</summary>
    public RotatingSequence Sequence { get; } = sequence;

    /// <inheritdoc/>
    public IReadOnlyList<Step> StepsAt(DateTimeOffset now) => Sequence.Window(Sequence.WindowAt(now)).Steps;

    /// <summary>The knocks of attempt <paramref name="attempt"/> (0-based) at <paramref name="now"/>, tokens as payloads.</summary>
    public IReadOnlyList<Knock> KnocksFor(DateTimeOffset now, int attempt)
    {
        var window = Sequence.Attempts(now)[attempt % WindowsPerRound];
        return window.Knocks.Select(k => new Knock(new Step(k.Port, Protocol.Udp), k.Payload())).ToList();
    }

    /// <summary>True when <paramref name="attempts"/> failed attempts have tried every window once: then the clock is suspect.</summary>
    public static bool TriedEveryWindow(int attempts) => attempts >= WindowsPerRound;
}
