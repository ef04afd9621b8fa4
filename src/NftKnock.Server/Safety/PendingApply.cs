using System.Globalization;
using System.Text;
using System.Text.Json;

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
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
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
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The longest window a pending apply file may hold; apply --confirm itself allows 1h.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(1);

    /// <summary>Reads what <see cref="ToJson"/> wrote, with every value bounded before it is used.</summary>
    /// <exception cref="FormatException">The text is not a pending apply.</exception>
    public static PendingApply FromJson(string json)
    {
        string? token, table, snapshot;
        long windowMs, takenAtMs;
        int applierPid;
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var text = root.GetProperty("snapshot");
            snapshot = text.ValueKind == JsonValueKind.Null ? null : text.GetString();
            token = root.GetProperty("token").GetString();
            table = root.GetProperty("table").GetString();
            windowMs = root.GetProperty("windowMs").GetInt64();
            takenAtMs = root.GetProperty("takenAtMs").GetInt64();
            applierPid = root.GetProperty("applierPid").GetInt32();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException("not a pending apply: a value is missing or of the wrong kind", e);
        }

        // Bounded before any arithmetic: TimeSpan and DateTimeOffset throw on values out of their range.
        var maxWindowMs = (long)MaxWindow.TotalMilliseconds;
        var maxTakenAtMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();
        if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(table))
        {
            throw new FormatException("not a pending apply: the token or the table is empty");
        }

        if (windowMs < 0 || windowMs > maxWindowMs || takenAtMs < 0 || takenAtMs > maxTakenAtMs)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"not a pending apply: windowMs {windowMs} or takenAtMs {takenAtMs} is out of range"));
        }

        return new PendingApply(token, TimeSpan.FromMilliseconds(windowMs), new TableSnapshot(table, snapshot, DateTimeOffset.FromUnixTimeMilliseconds(takenAtMs)), applierPid);
    }
}
