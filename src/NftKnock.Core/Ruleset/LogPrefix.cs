// The kernel log prefix crosses from the planner (which writes it into the table) to the events reader (which
// takes the kernel's lines apart): one type builds and parses it, so the two directions cannot drift apart.
namespace NftKnock.Core.Ruleset;

/// <summary>What a log line of nftknock's reports: a grant, a rotating door's refused replay, a knock refused by a time limit, or a connection audit mode let through.</summary>
public enum LogKind
{
    /// <summary>A completed knock was granted (<c>open</c>).</summary>
    Grant,

    /// <summary>A rotating door refused a replayed knock (<c>replay</c>).</summary>
    Replay,

    /// <summary>A door refused a full knock outside its time limit (<c>outside</c>).</summary>
    Outside,

    /// <summary>Audit mode let through a new connection that enforcing would have refused (<c>would-drop</c>).</summary>
    WouldDrop,
}

/// <summary>
/// The kernel log prefix of nftknock's rules: <c>nftknock ssh open: </c>, <c>nftknock ssh replay: </c>, or
/// with a rotating door's client <c>nftknock ssh open client=alice: </c>. The kernel appends its nf_log
/// fields (<c>IN=... SRC=...</c>) to it.
/// </summary>
/// <param name="Door">The door (a valid door name).</param>
/// <param name="Kind">Grant or replay.</param>
/// <param name="Client">The client of a rotating door with clients; null otherwise.</param>
public readonly record struct LogPrefix(string Door, LogKind Kind, string? Client = null)
{
    /// <summary>The prefix of the feature probe doctor sends with <c>nft --check</c>: never loaded, never logged.</summary>
    public const string Probe = "nftknock probe: ";

    /// <summary>
    /// The NFLOG group the lines go to (a door's <c>log-group</c> picks another). NFLOG groups belong to the
    /// network namespace, so only tables of this namespace reach the group nftknock events reads.
    /// </summary>
    public const int Group = 4242;

    private const string Start = "nftknock ";
    private const string ClientKey = "client=";

    /// <summary>The prefix as the kernel writes it, ending in <c>": "</c>.</summary>
    public string Format()
    {
        var what = Kind switch
        {
            LogKind.Grant => "open",
            LogKind.Replay => "replay",
            LogKind.Outside => "outside",
            _ => "would-drop",
        };
        return Client is null ? $"{Start}{Door} {what}: " : $"{Start}{Door} {what} {ClientKey}{Client}: ";
    }

    /// <inheritdoc/>
    public override string ToString() => Format();

    /// <summary>
    /// Reads the prefix at the start of <paramref name="line"/>; <paramref name="length"/> is where the
    /// kernel's fields begin. False unless the start is exactly what <see cref="Format"/> writes. Door and
    /// client names hold neither a colon nor a space, so the prefix ends at the first <c>": "</c>.
    /// </summary>
    public static bool TryParse(string line, out LogPrefix prefix, out int length)
    {
        prefix = default;
        length = 0;
        if (!line.StartsWith(Start, StringComparison.Ordinal))
        {
            return false;
        }

        var end = line.IndexOf(": ", Start.Length, StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var words = line[Start.Length..end].Split(' ');
        LogKind? kind = words.Length < 2 ? null : words[1] switch
        {
            "open" => LogKind.Grant,
            "replay" => LogKind.Replay,
            "outside" => LogKind.Outside,
            "would-drop" => LogKind.WouldDrop,
            _ => null,
        };
        if (words.Length > 3 || kind is null || !NftText.IsDoorName(words[0]))
        {
            return false;
        }

        string? client = null;
        if (words.Length == 3)
        {
            client = words[2].StartsWith(ClientKey, StringComparison.Ordinal) ? words[2][ClientKey.Length..] : null;
            if (client is null || !NftText.IsClientName(client))
            {
                return false;
            }
        }

        prefix = new LogPrefix(words[0], kind.Value, client);
        length = end + 2;
        return true;
    }
}
