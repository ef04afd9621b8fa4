using System.Globalization;
using NftKnock.Server.Nftables;

namespace NftKnock.Server.Events;

/// <summary>The records nftknock-events.service keeps in journald, taken apart from journalctl's JSON.</summary>
public static class KernelRecords
{
    /// <summary>The unit that reads the NFLOG group and keeps its lines in journald.</summary>
    public const string Recorder = "nftknock-events.service";

    /// <summary>
    /// One line of <c>journalctl -o json</c>: a record that the recorder, nftknock-events.service, wrote
    /// as root (<c>_SYSTEMD_UNIT</c> and <c>_UID</c> are journald's trusted fields, which no client can
    /// set: a user's own process, or a line the kernel logged for another network namespace, never has
    /// them), its <c>MESSAGE</c> and <c>__REALTIME_TIMESTAMP</c>. A message that is not text (journald
    /// writes those as arrays of bytes) is not taken. When a record carries the time its source logged
    /// it (<c>_SOURCE_MONOTONIC_TIMESTAMP</c>), the difference to journald's own stamp is taken off.
    /// </summary>
    public static bool TryParseJournal(string line, out KernelRecord parsed)
    {
        parsed = null!;
        if (line.Length > 64 * 1024)
        {
            return false;
        }

        // One record's fields; the last of a repeated field counts, as journalctl prints each once.
        string? unit = null, uid = null, message = null, realtime = null, monotonic = null, source = null;
        try
        {
            var reader = new JsonScanner(System.Text.Encoding.UTF8.GetBytes(line));
            if (!reader.Read() || reader.TokenType != JsonToken.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (reader.TokenType != JsonToken.String)
                {
                    reader.Skip();
                    continue;
                }

                switch (name)
                {
                    case "_SYSTEMD_UNIT":
                        unit = reader.GetString();
                        break;
                    case "_UID":
                        uid = reader.GetString();
                        break;
                    case "MESSAGE":
                        message = reader.GetString();
                        break;
                    case "__REALTIME_TIMESTAMP":
                        realtime = reader.GetString();
                        break;
                    case "__MONOTONIC_TIMESTAMP":
                        monotonic = reader.GetString();
                        break;
                    case "_SOURCE_MONOTONIC_TIMESTAMP":
                        source = reader.GetString();
                        break;
                }
            }
        }
        catch (FormatException)
        {
            return false;
        }

        if (unit != Recorder || uid != "0" || message is null
            || !long.TryParse(realtime, NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds)
            || microseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() * 1000)
        {
            return false;
        }

        if (Microseconds(monotonic) is { } read && Microseconds(source) is { } logged && logged <= read)
        {
            microseconds -= Math.Min(read - logged, microseconds);
        }

        parsed = new KernelRecord(DateTimeOffset.UnixEpoch.AddTicks(microseconds * 10), message);
        return true;
    }

    private static long? Microseconds(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
