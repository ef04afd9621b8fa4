using NftKnock.Core.Model;

namespace NftKnock.Client.Knocking;

/// <summary>One knock to send: the step, and for a rotating door's UDP knocks the token as payload.</summary>
/// <param name="Step">Port and protocol.</param>
/// <param name="Payload">The datagram's payload; empty for static knocks.</param>
public readonly record struct Knock(Step Step, ReadOnlyMemory<byte> Payload)
{
    /// <summary>A knock without payload.</summary>
    public static Knock Plain(Step step) => new(step, ReadOnlyMemory<byte>.Empty);
}
