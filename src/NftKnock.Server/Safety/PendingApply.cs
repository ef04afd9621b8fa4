using System.Globalization;
using System.Text;
using NftKnock.Server.Nftables;
using NftKnock.Server.Status;

namespace NftKnock.Server.Safety;

/// <summary>An apply that waits for confirmation: the snapshot to restore and the deadline.</summary>
/// <param name="Token">Names this apply, so a late or stale confirmation cannot confirm another one.</param>
/// <param name="Window">How long after the apply has landed the watcher waits for a confirmation.</param>
/// <param name="Snapshot">The table before the apply.</param>
/// <param name="ApplierPid">The applying process: if it ends before its apply landed, the watcher restores.</param>
public sealed record PendingApply(string Token, TimeSpan Window, TableSnapshot Snapshot, int ApplierPid)
{
    /// <summary>Our table's name.</summary>
    public string Table => Snapshot.Table;

    /// <summary>Serialises to the JSON kept in the run directory.</summary>
    public string ToJson() => JsonOutput.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("token", Token);
        w.WriteString("table", Table);
        w.WriteNumber("windowMs", (long)Window.TotalMilliseconds);
        w.WriteNumber("applierPid", ApplierPid);
        w.WriteNumber("takenAtMs", Snapshot.TakenAt.ToUnixTimeMilliseconds());
        if (Snapshot.Text is null)
        {
            w.WriteNull("snapshot");
        }
        else
        {
            w.WriteString("snapshot", Snapshot.Text);
        }

        w.WriteEndObject();
    });

    /// <summary>The longest window a pending apply file may hold; apply --confirm itself allows 1h.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(1);

    /// <summary>Reads what <see cref="ToJson"/> wrote, with every value bounded before it is used.</summary>
    /// <exception cref="FormatException">The text is not a pending apply.</exception>
    public static PendingApply FromJson(string json)
    {
        Fields f;
        try
        {
            f = Read(json);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new FormatException("not a pending apply: a value is missing or of the wrong kind", e);
        }

        if (f.WindowMs is not { } windowMs || f.TakenAtMs is not { } takenAtMs || f.ApplierPid is not { } applierPid || !f.HasSnapshot)
        {
            throw new FormatException("not a pending apply: a value is missing or of the wrong kind");
        }

        // Bounded before any arithmetic: TimeSpan and DateTimeOffset throw on values out of their range.
        var maxWindowMs = (long)MaxWindow.TotalMilliseconds;
        var maxTakenAtMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();
        if (string.IsNullOrEmpty(f.Token) || string.IsNullOrEmpty(f.Table))
        {
            throw new FormatException("not a pending apply: the token or the table is empty");
        }

        if (windowMs < 0 || windowMs > maxWindowMs || takenAtMs < 0 || takenAtMs > maxTakenAtMs)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"not a pending apply: windowMs {windowMs} or takenAtMs {takenAtMs} is out of range"));
        }

        return new PendingApply(f.Token, TimeSpan.FromMilliseconds(windowMs), new TableSnapshot(f.Table, f.Snapshot, DateTimeOffset.FromUnixTimeMilliseconds(takenAtMs)), applierPid);
    }

    /// <summary>The file's fields as written; unknown ones are skipped, missing ones stay null.</summary>
    private static Fields Read(string json)
    {
        var f = new Fields();
        var reader = new JsonScanner(Encoding.UTF8.GetBytes(json));
        if (!reader.Read() || reader.TokenType != JsonToken.StartObject)
        {
            throw new FormatException("not an object");
        }

        while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "token":
                    f.Token = reader.GetString();
                    break;
                case "table":
                    f.Table = reader.GetString();
                    break;
                case "snapshot":
                    f.HasSnapshot = true;
                    f.Snapshot = reader.TokenType == JsonToken.Null ? null : reader.GetString();
                    break;
                case "windowMs":
                    f.WindowMs = reader.GetInt64();
                    break;
                case "takenAtMs":
                    f.TakenAtMs = reader.GetInt64();
                    break;
                case "applierPid":
                    f.ApplierPid = reader.GetInt32();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return f;
    }

    private sealed class Fields
    {
        public string? Token { get; set; }

        public string? Table { get; set; }

        public string? Snapshot { get; set; }

        public bool HasSnapshot { get; set; }

        public long? WindowMs { get; set; }

        public long? TakenAtMs { get; set; }

        public int? ApplierPid { get; set; }
    }
}
