using System.Text;
using System.Text.Json;

namespace NftKnock.Nftables.Safety;

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

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    /// <exception cref="FormatException">The text is not a pending apply.</exception>
    public static PendingApply FromJson(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var snapshot = root.GetProperty("snapshot");
            return new PendingApply(
                root.GetProperty("token").GetString()!,
                TimeSpan.FromMilliseconds(root.GetProperty("windowMs").GetInt64()),
                new TableSnapshot(
                    root.GetProperty("table").GetString()!,
                    snapshot.ValueKind == JsonValueKind.Null ? null : snapshot.GetString(),
                    DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("takenAtMs").GetInt64())),
                root.GetProperty("applierPid").GetInt32());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"not a pending apply: {e.Message}", e);
        }
    }
}
