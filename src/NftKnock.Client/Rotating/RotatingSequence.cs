using NftKnock.Core.Model;
using NftKnock.Core.Rotating;

namespace NftKnock.Client.Rotating;

/// <summary>The knocks of one window: UDP datagrams to <see cref="RotatingKnock.Port"/>, each carrying its token.</summary>
/// <param name="Number">The window number (whole periods since the Unix epoch).</param>
/// <param name="Start">When the window starts.</param>
/// <param name="Knocks">The steps in order.</param>
public sealed record RotatingWindow(long Number, DateTimeOffset Start, IReadOnlyList<RotatingKnock> Knocks)
{
    /// <summary>The steps as knock steps (all UDP), for transports that take a <see cref="Step"/>.</summary>
    public IReadOnlyList<Step> Steps => Knocks.Select(k => new Step(k.Port, Protocol.Udp)).ToList();
}

/// <summary>
/// A client's view of a rotating door: which knocks to send now. The server derives the same
/// knocks with the same <see cref="RotatingDerivation"/>, and accepts windows t-1, t and t+1.
/// </summary>
public sealed class RotatingSequence
{
    private readonly byte[] secret;

    private RotatingSequence(RotatingSpec spec, byte[] secret)
    {
        Spec = spec;
        this.secret = secret;
    }

    /// <summary>The door's derivation parameters.</summary>
    public RotatingSpec Spec { get; }

    /// <summary>
    /// Builds a sequence from the secret's text (the file's content, or a profile's inline
    /// <c>secret:</c>); the problem says why the text was refused.
    /// </summary>
    public static RotatingSecret.Problem TryCreate(RotatingSpec spec, string secretText, out RotatingSequence? sequence)
    {
        var problem = RotatingSecret.TryParse(secretText, out var secret);
        sequence = problem == RotatingSecret.Problem.None ? new RotatingSequence(spec, secret) : null;
        return problem;
    }

    /// <summary>The window <paramref name="now"/> falls in.</summary>
    public long WindowAt(DateTimeOffset now) => RotatingDerivation.Window(now, Spec.Period);

    /// <summary>The knocks of window <paramref name="number"/>.</summary>
    public RotatingWindow Window(long number) =>
        new(number, RotatingDerivation.WindowStart(number, Spec.Period), RotatingDerivation.Knocks(secret, Spec, number));

    /// <summary>
    /// The windows to try, in order, when the clock reads <paramref name="now"/>: the current one, then
    /// the next (the server may already be there, or another address of ours owns the current one),
    /// then the previous. With these three, a clock one period off still gets in.
    /// </summary>
    public IReadOnlyList<RotatingWindow> Attempts(DateTimeOffset now)
    {
        var current = WindowAt(now);
        return [Window(current), Window(current + 1), Window(current - 1)];
    }
}
