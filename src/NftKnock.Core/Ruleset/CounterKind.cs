namespace NftKnock.Core.Ruleset;

/// <summary>What a door's named counter counts: the one home of the counter kinds' names.</summary>
public enum CounterKind
{
    /// <summary>Knock packets that reached a step.</summary>
    Knocks,

    /// <summary>Sequences completed: grants given.</summary>
    Grants,

    /// <summary>Sources that lost their progress to a stray packet.</summary>
    Resets,

    /// <summary>New connections to a protected port refused for want of a grant.</summary>
    Blocked,

    /// <summary>Rotating knocks refused because their window was already claimed.</summary>
    Replays,

    /// <summary>Full knocks refused because they came outside the door's or client's time limit.</summary>
    Outside,

    /// <summary>New connections to a protected port that audit mode let through where enforcing would have refused them.</summary>
    Audited,
}

/// <summary>Formats and parses <see cref="CounterKind"/> as it appears in counter names, status and metrics.</summary>
public static class CounterKinds
{
    /// <summary>The kinds every door counts; rotating doors count <see cref="CounterKind.Replays"/> too.</summary>
    public static readonly IReadOnlyList<CounterKind> EveryDoor = [CounterKind.Knocks, CounterKind.Grants, CounterKind.Resets, CounterKind.Blocked];

    private static readonly string[] Words = ["knocks", "grants", "resets", "blocked", "replays", "outside", "audited"];

    /// <summary>
    /// The kinds a door counts: <see cref="EveryDoor"/>, replays when it rotates, outside when it has a
    /// time limit, and audited when its table is loaded in audit mode.
    /// </summary>
    public static IEnumerable<CounterKind> For(bool rotating, bool limited = false, bool audited = false) =>
        EveryDoor.Concat(rotating ? [CounterKind.Replays] : []).Concat(limited ? [CounterKind.Outside] : []).Concat(audited ? [CounterKind.Audited] : []);

    /// <summary>The kind as a word: <c>knocks</c>, <c>grants</c>, <c>resets</c>, <c>blocked</c>, <c>replays</c>, <c>outside</c>, <c>audited</c>.</summary>
    public static string Format(this CounterKind kind) => Words[(int)kind];

    /// <summary>Parses exactly what <see cref="Format"/> writes.</summary>
    public static bool TryParse(string text, out CounterKind kind)
    {
        var at = Array.IndexOf(Words, text);
        kind = at < 0 ? default : (CounterKind)at;
        return at >= 0;
    }
}
