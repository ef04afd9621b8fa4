namespace NftKnock.Server.Safety;

/// <summary>What the watcher is told to do before its deadline.</summary>
public enum DecisionKind
{
    /// <summary>Keep the applied ruleset (confirmed, or the apply changed nothing).</summary>
    Keep,

    /// <summary>Restore the snapshot now.</summary>
    Restore,

    /// <summary>The apply has landed: the confirmation window starts now.</summary>
    Applied,
}

/// <summary>A decision for the pending apply named by <paramref name="Token"/>.</summary>
public sealed record Decision(string Token, DecisionKind Kind, string Reason)
{
    /// <summary>The decision an applier writes once its apply has landed: the reason carries the deadline.</summary>
    public static Decision Applied(string token, DateTimeOffset deadline) =>
        new(token, DecisionKind.Applied, $"deadline {deadline.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)}");

    /// <summary>The deadline an <see cref="Applied(string, DateTimeOffset)"/> decision carries; null for any other.</summary>
    public DateTimeOffset? Deadline =>
        Kind == DecisionKind.Applied && Reason.StartsWith("deadline ", StringComparison.Ordinal)
            && long.TryParse(Reason.AsSpan(9), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            && ms is >= 0 and <= 253_402_300_799_999
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    /// <summary>One line each: token, keep|restore, reason.</summary>
    public string ToText() => $"{Token}\n{Kind.ToString().ToLowerInvariant()}\n{Reason}\n";

    /// <summary>Reads <see cref="ToText"/>; null when the text is not a decision.</summary>
    public static Decision? Parse(string text)
    {
        var lines = text.Split('\n');
        if (lines.Length < 2)
        {
            return null;
        }

        DecisionKind? kind = lines[1] switch { "keep" => DecisionKind.Keep, "restore" => DecisionKind.Restore, "applied" => DecisionKind.Applied, _ => null };
        return kind is { } k ? new Decision(lines[0], k, lines.Length > 2 ? lines[2] : string.Empty) : null;
    }
}
