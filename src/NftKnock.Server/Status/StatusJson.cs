using System.Buffers.Text;
using System.Text;

namespace NftKnock.Server.Status;

/// <summary>Writes a status report as the documented JSON.</summary>
/// <remarks>
/// Written by hand rather than with a source-generated <c>JsonSerializerContext</c>, whose per-string
/// escaping checks cost several milliseconds more for 65,536 grants, even compiled natively.
/// The output is the same bytes <c>Utf8JsonWriter</c> writes with <see cref="JsonOutput.Encoder"/>.
/// </remarks>
public static class StatusJson
{
    /// <summary>The report as one JSON document.</summary>
    public static string Write(StatusReport report)
    {
        using var stream = new MemoryStream();
        Write(report, stream);
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>Writes the report as one JSON document (no newline) to <paramref name="output"/>.</summary>
    public static void Write(StatusReport report, Stream output)
    {
        var w = new Writer(output);
        w.Raw("{\"schemaVersion\":"u8);
        w.Number(StatusReport.SchemaVersion);
        w.Raw(",\"table\":"u8);
        w.String(report.Table);
        w.Raw(report.Audit ? ",\"audit\":true"u8 : ",\"audit\":false"u8);
        w.Raw(",\"doors\":["u8);
        w.Items(report.Doors, Door);
        w.Raw("]}"u8);
        w.Flush();
    }

    private static void Door(Writer w, DoorStatus door)
    {
        w.Raw("{\"name\":"u8);
        w.String(door.Name);
        w.Raw(",\"protect\":["u8);
        w.Items(door.Protect, static (w, port) => w.String(port));
        w.Raw("],\"steps\":"u8);
        w.Number(door.Steps);
        w.Raw(",\"open\":["u8);
        w.Items(door.Open, static (w, open) => Source(w, open.Address, null, open.ExpiresInMs));
        w.Raw("],\"inProgress\":["u8);
        w.Items(door.InProgress, static (w, p) => Source(w, p.Address, p.Stage, p.ExpiresInMs));
        w.Raw("],\"counters\":{"u8);
        w.Items(door.Counters, static (w, counter) =>
        {
            w.String(counter.Key);
            w.Raw(":"u8);
            w.Number(counter.Value);
        });
        w.Raw("}"u8);
        if (door.KnocksLeftMs is { } left)
        {
            // Only rotating doors have it: when their loaded knocks run out unless rotate writes again.
            w.Raw(",\"knocksExpireInMs\":"u8);
            w.Number(left);
        }

        if (door.Clients.Count > 0)
        {
            // Only rotating doors with clients: have it, so other doors' documents stay as they were.
            w.Raw(",\"clients\":["u8);
            w.Items(door.Clients, Client);
            w.Raw("]"u8);
        }

        w.Raw("}"u8);
    }

    /// <summary>An open or in-progress source: its address, its stage when in progress, and its expiry.</summary>
    private static void Source(Writer w, string address, int? stage, long expiresInMs)
    {
        w.Raw("{\"address\":"u8);
        w.String(address);
        if (stage is { } s)
        {
            w.Raw(",\"stage\":"u8);
            w.Number(s);
        }

        w.Raw(",\"expiresInMs\":"u8);
        w.Number(expiresInMs);
        w.Raw("}"u8);
    }

    private static void Client(Writer w, ClientCounts client)
    {
        w.Raw("{\"name\":"u8);
        w.String(client.Name);
        w.Raw(",\"grants\":"u8);
        w.Number(client.Grants);
        w.Raw(",\"replays\":"u8);
        w.Number(client.Replays);
        if (client.Outside is { } outside)
        {
            w.Raw(",\"outside\":"u8);
            w.Number(outside);
        }

        w.Raw("}"u8);
    }

    /// <summary>A buffered UTF-8 writer of the few JSON pieces status needs.</summary>
    private sealed class Writer(Stream output)
    {
        private readonly byte[] buffer = new byte[1 << 16];
        private int used;

        /// <summary>Each of <paramref name="items"/> through <paramref name="write"/>, separated by commas.</summary>
        public void Items<T>(IEnumerable<T> items, Action<Writer, T> write)
        {
            var first = true;
            foreach (var item in items)
            {
                if (!first)
                {
                    Raw(","u8);
                }

                first = false;
                write(this, item);
            }
        }

        public void Raw(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length > buffer.Length - used)
            {
                Flush();
                if (bytes.Length > buffer.Length)
                {
                    output.Write(bytes);
                    return;
                }
            }

            bytes.CopyTo(buffer.AsSpan(used));
            used += bytes.Length;
        }

        public void Number(long value)
        {
            if (buffer.Length - used < 20)
            {
                Flush();
            }

            Utf8Formatter.TryFormat(value, buffer.AsSpan(used), out var written);
            used += written;
        }

        /// <summary>A quoted string: names and addresses go as they are, anything else through <see cref="JsonOutput.Escape"/>.</summary>
        public void String(string value)
        {
            if (!IsPlain(value) || value.Length + 2 > buffer.Length - used)
            {
                Raw("\""u8);
                Raw(JsonOutput.Escape(value).EncodedUtf8Bytes);
                Raw("\""u8);
                return;
            }

            buffer[used++] = (byte)'"';
            foreach (var c in value)
            {
                buffer[used++] = (byte)c;
            }

            buffer[used++] = (byte)'"';
        }

        public void Flush()
        {
            output.Write(buffer, 0, used);
            used = 0;
        }

        /// <summary>Characters that <see cref="JsonOutput.Encoder"/> leaves alone, and that names and addresses are made of.</summary>
        private static bool IsPlain(string value)
        {
            foreach (var c in value)
            {
                if (c is not ((>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or ':' or '/' or '_' or '-' or ' '))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
