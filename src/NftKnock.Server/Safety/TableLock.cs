namespace NftKnock.Server.Safety;

/// <summary>
/// The lock every command that changes our table holds while it does: an exclusive flock on
/// <c>&lt;run dir&gt;/&lt;table&gt;.lock</c> (.NET takes one for <see cref="FileShare.None"/>). The kernel
/// drops it when the process dies, so a killed command never leaves the table locked.
/// </summary>
public sealed class TableLock : IDisposable
{
    private readonly FileStream stream;

    private TableLock(FileStream stream) => this.stream = stream;

    /// <summary>How long a command waits for another one to finish before it gives up.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(5);

    /// <summary>Takes the lock, waiting up to <paramref name="wait"/>; null when another process still holds it.</summary>
    public static async Task<TableLock?> AcquireAsync(RollbackFiles files, TimeSpan wait, CancellationToken cancel = default)
    {
        files.EnsureDirectory();
        var until = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                return new TableLock(new FileStream(files.Lock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (File.Exists(files.Lock) && DateTime.UtcNow < until)
            {
                await Task.Delay(50, cancel);
            }
            catch (IOException) when (File.Exists(files.Lock))
            {
                return null;
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => stream.Dispose();
}
