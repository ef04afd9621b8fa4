using System.Text.RegularExpressions;
using NftKnock.Core.Ruleset;

namespace NftKnock.Server.Safety;

/// <summary>
/// Our table as <c>nft list table</c> printed it at <see cref="TakenAt"/>, or its absence
/// (<see cref="Text"/> null). Restoring it is one batch.
/// </summary>
public sealed partial record TableSnapshot(string Table, string? Text, DateTimeOffset TakenAt)
{
    /// <summary>
    /// The batch that puts the table back: declare (so delete cannot fail), delete, and reload the
    /// listing. nft 1.0.6 reloads element text <c>timeout 1m expires 58s</c> with that expiry, so
    /// each <c>expires</c> is shortened by the time since the snapshot: a grant ends when it would
    /// have ended had nothing been applied.
    /// </summary>
    public string RestoreScript(DateTimeOffset now)
    {
        var script = $"# nftknock: restore table inet {Table} as it was at {TakenAt:u}\n{NftWriter.Preamble(Table, keepSets: false)}";
        if (Text is null)
        {
            return script;
        }

        var elapsed = now - TakenAt;
        var body = Expires().Replace(Text, m => NftDuration.TryParse(m.Groups[1].Value, out var left)
            ? "expires " + NftDuration.Format(left - elapsed)
            : m.Value);
        return script + body;
    }

    [GeneratedRegex(@"expires ((?:\d+(?:ms|d|h|m|s))+)")]
    private static partial Regex Expires();
}
