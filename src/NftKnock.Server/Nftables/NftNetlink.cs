using System.Buffers;
using System.Text.Json;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Host;

namespace NftKnock.Server.Nftables;

/// <summary>
/// Asks the kernel's nf_tables directly over netlink for what nft 1.0.6 can only list after fetching every
/// rule (one table's handle and comment, and its named counters), and sends the one change that nft
/// spends most of a rotate wake parsing (the rotating map's refill). Any failure (no right, no answer, a
/// malformed message) gives null or false, and the caller goes through nft instead.
/// </summary>
public sealed class NftNetlink : IDisposable
{
    private readonly NetlinkSocket socket;
    private readonly byte[] buffer = new byte[65536];
    private uint sequence = (uint)Environment.TickCount;

    private NftNetlink(NetlinkSocket socket) => this.socket = socket;

    /// <summary>A reader over a socket of this namespace; null off Linux or when no socket opens.</summary>
    public static NftNetlink? Open() =>
        OperatingSystem.IsLinux() && NetlinkSocket.Open(out _) is { } socket ? new NftNetlink(socket) : null;

    /// <summary>The ruleset's generation, which every committed batch moves on; null when not answered.</summary>
    public uint? Generation() => Ask(NftMessages.Generation) is { Errno: 0 } answer ? answer.Generation : null;

    /// <summary>
    /// The inet table <paramref name="table"/> and its named counters as one nft -j document, as
    /// <c>nft -j list tables inet; list counters inet</c> would print them for that table (an empty
    /// document when the table does not exist); null when the kernel did not answer in full.
    /// </summary>
    public string? TableAndCounters(string table)
    {
        const int NoSuchEntry = 2;
        if (Ask(s => NftMessages.Table(table, s)) is not { } asked || asked.Errno is not (0 or NoSuchEntry))
        {
            return null;
        }

        if (asked.Table is null)
        {
            return asked.Errno == NoSuchEntry ? Document(null, []) : null;
        }

        return Ask(s => NftMessages.Counters(table, s)) is { Errno: 0, Interrupted: false } dumped ? Document(asked.Table, dumped.Counters) : null;
    }

    /// <summary>
    /// The chains of the inet table <paramref name="table"/> as one nft -j document, as <c>nft -j list
    /// chains inet</c> prints them (a base chain with its type, hook, priority and policy); null when the
    /// kernel did not answer in full, or a base chain has a hook or policy nft would print otherwise.
    /// </summary>
    public string? Chains(string table)
    {
        if (Ask(NftMessages.Chains) is not { Errno: 0, Interrupted: false } dumped)
        {
            return null;
        }

        var ours = dumped.Chains.Where(c => c.Table == table).ToList();
        if (ours.Any(c => c.Hook is { } hook && (hook is < 0 or >= 6 || c.Policy is not (0 or 1) || c.Priority is null || c.Type is null)))
        {
            return null;
        }

        return Json(w =>
        {
            foreach (var chain in ours)
            {
                Open(w, "chain", chain.Name, chain.Table, chain.Handle);
                if (chain.Hook is { } hook)
                {
                    w.WriteString("type", chain.Type);
                    w.WriteString("hook", HookNames[hook]);
                    w.WriteNumber("prio", chain.Priority!.Value);
                    w.WriteString("policy", chain.Policy == 1 ? "accept" : "drop");
                }

                Close(w);
            }
        });
    }

    /// <summary>
    /// Flushes the map <paramref name="fill"/> names in <c>inet <paramref name="table"/></c> and adds its
    /// entries, in one batch the kernel applies whole or not at all. False when the entries are not the
    /// rotating map's, or the kernel refused the batch or did not acknowledge all of it; sending the same
    /// flush and refill through nft then leaves the map as this would have.
    /// </summary>
    public bool Fill(string table, MapFill fill)
    {
        var first = sequence + 1;
        if (NftMessages.Fill(table, fill, first, out var messages) is not { } batch)
        {
            return false;
        }

        sequence += (uint)messages + 2;
        if (!socket.MakeRoomToSend(batch.Length + 4096) || socket.Send(batch) != 0)
        {
            return false;
        }

        int acknowledged = 0, errno = 0;
        return ReadUntil(
                datagram => NftMessages.ReadAcknowledgements(datagram, first + 1, messages, ref acknowledged, ref errno),
                () => acknowledged == messages || errno != 0,
                5000)
            && errno == 0;
    }

    /// <inheritdoc/>
    public void Dispose() => socket.Dispose();

    /// <summary>Sends one request and reads its answers until it is acknowledged or done, for at most two seconds.</summary>
    private NftMessages.Answer? Ask(Func<uint, byte[]> request)
    {
        var number = ++sequence;
        if (socket.Send(request(number)) != 0)
        {
            return null;
        }

        var answer = new NftMessages.Answer();
        return ReadUntil(datagram => NftMessages.Read(datagram, number, answer), () => answer.Finished, 2000) ? answer : null;
    }

    /// <summary>
    /// Hands each datagram that arrives to <paramref name="read"/> until <paramref name="done"/>; false when
    /// that took longer than <paramref name="milliseconds"/>, the socket failed, or a message was malformed.
    /// </summary>
    private bool ReadUntil(Reader read, Func<bool> done, int milliseconds)
    {
        var until = Environment.TickCount64 + milliseconds;
        try
        {
            while (!done())
            {
                if (Environment.TickCount64 >= until)
                {
                    return false;
                }

                var n = socket.Receive(buffer);
                if (n == -NetlinkSocket.Again || n == -NetlinkSocket.Interrupted)
                {
                    socket.Wait(100);
                }
                else if (n < 0)
                {
                    return false;
                }
                else
                {
                    read(buffer.AsSpan(0, n));
                }
            }

            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private delegate void Reader(ReadOnlySpan<byte> datagram);

    /// <summary>The inet family's hooks by number, as nft names them.</summary>
    private static readonly string[] HookNames = ["prerouting", "input", "forward", "output", "postrouting", "ingress"];

    private static string Document(KernelTable? table, IReadOnlyList<KernelCounter> counters) => Json(w =>
    {
        if (table is not null)
        {
            Open(w, "table", table.Name, null, table.Handle, table.Comment);
            Close(w);
        }

        foreach (var counter in counters)
        {
            Open(w, "counter", counter.Name, counter.Table, counter.Handle, counter.Comment);
            w.WriteNumber("packets", counter.Packets);
            w.WriteNumber("bytes", counter.Bytes);
            Close(w);
        }
    });

    /// <summary>
    /// Opens <c>{"kind": {"family": "inet", "name": ..., "table": ..., "handle": ..., "comment": ...</c>, as nft
    /// prints an object (a table has no table, and only what has a comment a comment); <see cref="Close"/> closes it.
    /// </summary>
    private static void Open(Utf8JsonWriter w, string kind, string name, string? table, long handle, string? comment = null)
    {
        w.WriteStartObject();
        w.WriteStartObject(kind);
        w.WriteString("family", "inet");
        w.WriteString("name", name);
        if (table is not null)
        {
            w.WriteString("table", table);
        }

        w.WriteNumber("handle", handle);
        if (comment is not null)
        {
            w.WriteString("comment", comment);
        }
    }

    private static void Close(Utf8JsonWriter w)
    {
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>An nft -j document, <c>{"nftables": [...]}</c>, whose items <paramref name="items"/> writes.</summary>
    private static string Json(Action<Utf8JsonWriter> items)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(output))
        {
            w.WriteStartObject();
            w.WriteStartArray("nftables");
            items(w);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
