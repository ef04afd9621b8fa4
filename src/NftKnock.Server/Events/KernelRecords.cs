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
        if (line.Length > 64 * 1024 || ReadFields(line) is not { } f)
        {
            return false;
        }

        if (f.Unit != Recorder || f.Uid != "0" || f.Message is null
            || !long.TryParse(f.Realtime, NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds)
            || microseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() * 1000)
        {
            return false;
        }

        if (Microseconds(f.Monotonic) is { } read && Microseconds(f.Source) is { } logged && logged <= read)
        {
            microseconds -= Math.Min(read - logged, microseconds);
        }

        parsed = new KernelRecord(DateTimeOffset.UnixEpoch.AddTicks(microseconds * 10), f.Message);
        return true;
    }

    /// <summary>One record's text fields; the last of a repeated field counts, as journalctl prints each once. Null when the line is no JSON object.</summary>
    private static Fields? ReadFields(string line)
    {
        var f = new Fields();
        try
        {
            var reader = new JsonScanner(System.Text.Encoding.UTF8.GetBytes(line));
            if (!reader.Read() || reader.TokenType != JsonToken.StartObject)
            {
                return null;
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

                f.Set(name, reader.GetString());
            }
        }
        catch (FormatException)
        {
            return null;
        }

        return f;
    }

    private static long? Microseconds(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private sealed class Fields
    {
        public string? Unit { get; private set; }

        public string? Uid { get; private set; }

        public string? Message { get; private set; }

        public string? Realtime { get; private set; }

        public string? Monotonic { get; private set; }

        public string? Source { get; private set; }

        public void Set(string name, string value)
        {
            switch (name)
            {
                case "_SYSTEMD_UNIT":
                    Unit = value;
                    break;
                case "_UID":
                    Uid = value;
                    break;
                case "MESSAGE":
                    Message = value;
                    break;
                case "__REALTIME_TIMESTAMP":
                    Realtime = value;
                    break;
                case "__MONOTONIC_TIMESTAMP":
                    Monotonic = value;
                    break;
                case "_SOURCE_MONOTONIC_TIMESTAMP":
                    Source = value;
                    break;
            }
        }
    }
}
