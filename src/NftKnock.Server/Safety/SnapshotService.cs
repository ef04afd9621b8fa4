using NftKnock.Server.Nftables;

namespace NftKnock.Server.Safety;

/// <summary>Takes and restores snapshots of our table, each restore one batch.</summary>
public sealed class SnapshotService(INftables nft, TimeProvider time)
{
    /// <summary>Lists our table as text (null when it does not exist) and notes the time.</summary>
    public async Task<TableSnapshot> TakeAsync(string table, CancellationToken cancel = default)
    {
        var text = await nft.ListTableAsync(table, json: false, cancel);
        return new TableSnapshot(table, text, time.GetUtcNow());
    }

    /// <summary>Puts the table back as the snapshot had it, grants with the time they have left.</summary>
    public Task RestoreAsync(TableSnapshot snapshot, CancellationToken cancel = default) =>
        nft.RunAsync(snapshot.RestoreScript(time.GetUtcNow()), checkOnly: false, cancel);
}
