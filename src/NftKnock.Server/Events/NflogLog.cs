using System.Runtime.CompilerServices;
using NftKnock.Server.Host;

namespace NftKnock.Server.Events;

/// <summary>
/// Reads nftknock's NFLOG group over an nfnetlink_log socket. NFLOG groups belong to the network
/// namespace: only tables loaded in this namespace (which takes CAP_NET_ADMIN over it) can send to the
/// group read here, so a line from another namespace, a user's own included, never arrives. Binding
/// needs CAP_NET_ADMIN, and a group has one reader at a time. Lines are live only: the group keeps no
/// past, so without follow nothing is read.
/// </summary>
/// <param name="time">The wall clock: a packet is stamped when it is read (each is handed over at once).</param>
/// <param name="group">The NFLOG group.</param>
public sealed class NflogLog(TimeProvider time, int group) : IKernelLog
{
    private const int NoBuffers = 105; // the socket overflowed: lines were lost, the next ones still come
    private const int PermissionDenied = 1;

    /// <inheritdoc/>
    public string Name => $"NFLOG group {group}";

    /// <inheritdoc/>
    public async IAsyncEnumerable<KernelRecord> ReadAsync(DateTimeOffset? since, bool follow, [EnumeratorCancellation] CancellationToken cancel)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new KernelLogException(KernelLogFailure.Unavailable, Name, ServerTexts.NoNflog);
        }

        if (!follow)
        {
            yield break;
        }

        using var socket = Open();
        var buffer = new byte[65536];
        while (!cancel.IsCancellationRequested)
        {
            var n = socket.Receive(buffer);
            if (n < 0)
            {
                if (-n is NetlinkSocket.Again)
                {
                    // Short polls, so cancellation is seen within a quarter second.
                    await Task.Run(() => socket.Wait(250), CancellationToken.None);
                }
                else if (-n is not (NetlinkSocket.Interrupted or NoBuffers))
                {
                    throw Failure(-n);
                }

                continue;
            }

            foreach (var (_, line) in Nflog.Read(buffer, n, NetlinkSocket.InterfaceName))
            {
                if (line is not null)
                {
                    yield return new KernelRecord(time.GetUtcNow(), line);
                }
            }
        }
    }

    /// <summary>A socket bound to the group; its acknowledgements read, so a refusal (no right, group taken) fails here.</summary>
    private NetlinkSocket Open()
    {
        var socket = NetlinkSocket.Open(out var errno) ?? throw Failure(errno);
        try
        {
            if (socket.Send(Nflog.Bind(group)) is not 0 and var refused)
            {
                throw Failure(refused);
            }

            AwaitAcknowledgements(socket, 3);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void AwaitAcknowledgements(NetlinkSocket socket, int count)
    {
        var buffer = new byte[8192];
        var until = DateTime.UtcNow.AddSeconds(5);
        while (count > 0 && DateTime.UtcNow < until)
        {
            socket.Wait(250);
            var n = socket.Receive(buffer);
            if (n < 0)
            {
                continue;
            }

            foreach (var (errno, _) in Nflog.Read(buffer, n, _ => null))
            {
                if (errno is { } e && e != 0)
                {
                    throw Failure(e);
                }

                count -= errno is null ? 0 : 1;
            }
        }

        if (count > 0)
        {
            throw new KernelLogException(KernelLogFailure.Unavailable, Name, ServerTexts.NflogNoAnswer);
        }
    }

    private KernelLogException Failure(int errno) => errno switch
    {
        PermissionDenied => new KernelLogException(KernelLogFailure.PermissionDenied, Name, new System.ComponentModel.Win32Exception(errno).Message),
        16 => new KernelLogException(KernelLogFailure.Unavailable, Name, ServerTexts.NflogTaken), // EBUSY
        _ => new KernelLogException(KernelLogFailure.Unavailable, Name, new System.ComponentModel.Win32Exception(errno).Message),
    };
}
