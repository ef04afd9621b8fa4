namespace NftKnock.Server.Safety;

/// <summary>How a pending apply ended.</summary>
public enum OutcomeKind
{
    /// <summary>Confirmed: the new ruleset stays.</summary>
    Kept,

    /// <summary>The snapshot was restored.</summary>
    Restored,

    /// <summary>Restoring failed; the new ruleset is still loaded.</summary>
    RestoreFailed,
}

/// <summary>The end of a pending apply, as one line the applier and <c>confirm</c> can read back.</summary>
public sealed record RollbackOutcome(OutcomeKind Kind, string Detail)
{
    /// <summary>The line on the wire and in the outcome file: <c>restored: reason</c>.</summary>
    public string ToLine() => $"{Kind switch { OutcomeKind.Kept => "kept", OutcomeKind.Restored => "restored", _ => "failed" }}: {Detail.ReplaceLineEndings(" ")}";

    /// <summary>Reads <see cref="ToLine"/>; null for anything else.</summary>
    public static RollbackOutcome? Parse(string? line)
    {
        if (line is null || line.IndexOf(": ", StringComparison.Ordinal) is var colon && colon < 0)
        {
            return null;
        }

        OutcomeKind? kind = line[..colon] switch
        {
            "kept" => OutcomeKind.Kept,
            "restored" => OutcomeKind.Restored,
            "failed" => OutcomeKind.RestoreFailed,
            _ => null,
        };
        return kind is { } k ? new RollbackOutcome(k, line[(colon + 2)..]) : null;
    }
}
