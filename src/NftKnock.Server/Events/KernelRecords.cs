using System.Globalization;
using System.Text.Json;

namespace NftKnock.Server.Events;

/// <summary>The two forms the kernel log reaches nftknock in, taken apart: /dev/kmsg records and journalctl's JSON.</summary>
public static class KernelRecords
{
    /// <summary>
    /// One /dev/kmsg record, <c>prio,seq,usec,flags[,...];message</c> with continuation lines after a
    /// newline, as a record of the kernel itself: lines that user space wrote to /dev/kmsg carry
    /// another facility (the kernel turns facility 0 into LOG_USER for them) and are not taken.
    /// <paramref name="boot"/> is the wall time the kernel's clock started at.
    /// </summary>
    public static bool TryParseKmsg(ReadOnlySpan<char> record, DateTimeOffset boot, out KernelRecord parsed)
    {
        parsed = null!;
        var semicolon = record.IndexOf(';');
        if (semicolon <= 0)
        {
            return false;
        }

        Span<Range> fields = stackalloc Range[5];
        var header = record[..semicolon];
        var count = header.Split(fields, ',');
        if (count < 4
            || !int.TryParse(header[fields[0]], NumberStyles.None, CultureInfo.InvariantCulture, out var priority)
            || priority >> 3 != 0
            || !long.TryParse(header[fields[2]], NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds))
        {
            return false;
        }

        var message = record[(semicolon + 1)..];
        var newline = message.IndexOf('\n');
        if (newline >= 0)
        {
            message = message[..newline];
        }

        parsed = new KernelRecord(boot.AddTicks(Math.Min(microseconds, TimeSpan.MaxValue.Ticks / 20) * 10), message.ToString());
        return true;
    }

    /// <summary>
    /// One line of <c>journalctl -k -o json</c>: a record that journald read from the kernel
    /// (<c>_TRANSPORT</c> kernel, a field no client can set), its <c>MESSAGE</c> and <c>__REALTIME_TIMESTAMP</c>.
    /// A message that is not text (journald writes those as arrays of bytes) is not taken. journald
    /// stamps a record when it reads it, which for records it found in the ring buffer at its start is
    /// later than the kernel logged them; the kernel's own time (<c>_SOURCE_MONOTONIC_TIMESTAMP</c>)
    /// takes that difference off.
    /// </summary>
    public static bool TryParseJournal(string line, out KernelRecord parsed)
    {
        parsed = null!;
        if (line.Length > 64 * 1024)
        {
            return false;
        }

        // One record's fields; the last of a repeated field counts, as journalctl prints each once.
        string? transport = null, message = null, realtime = null, monotonic = null, source = null;
        try
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(line), new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    reader.Skip();
                    continue;
                }

                switch (name)
                {
                    case "_TRANSPORT":
                        transport = reader.GetString();
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
        catch (JsonException)
        {
            return false;
        }

        if (transport != "kernel" || message is null
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
