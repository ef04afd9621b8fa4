using NftKnock.Core.Model;

namespace NftKnock.Client.Knocking;

/// <summary>
/// Where an attempt's knock steps come from. Asked once per attempt with the current time, so a
/// sequence that rotates with the time window knocks the right steps on every retry.
/// </summary>
public interface ISequenceSource
{
    /// <summary>The steps to knock at <paramref name="now"/>.</summary>
    IReadOnlyList<Step> StepsAt(DateTimeOffset now);
}

/// <summary>A fixed list of steps, from the command line or a profile's <c>sequence:</c>.</summary>
public sealed class StaticSequence(IReadOnlyList<Step> steps) : ISequenceSource
{
    /// <summary>The steps, in knock order.</summary>
    public IReadOnlyList<Step> Steps { get; } = steps;

    /// <inheritdoc/>
    public IReadOnlyList<Step> StepsAt(DateTimeOffset now) => Steps;
}
