using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Nftables;

/// <summary>The one seam to the kernel's nftables. Every change is one script, applied atomically.</summary>
public interface INftables
{
    /// <summary>Runs a script as one batch (<c>nft -f -</c>), or only checks it (<c>--check</c>).</summary>
    /// <exception cref="NftException">nft refused the script or could not run.</exception>
    Task RunAsync(string script, bool checkOnly, CancellationToken cancel = default);

    /// <summary>Runs one apply's batch as its script; a fake may apply the batch's model instead of reading the text.</summary>
    /// <exception cref="NftException">nft refused the batch or could not run.</exception>
    Task ApplyAsync(ApplyBatch batch, bool checkOnly, CancellationToken cancel = default) => RunAsync(batch.Text, checkOnly, cancel);

    /// <summary>
    /// Flushes the map <paramref name="fill"/> names in <c>inet <paramref name="table"/></c> and adds its
    /// entries in one batch (<see cref="NftWriter.Fill"/>), so nobody sees the map empty: rotate's write.
    /// </summary>
    /// <exception cref="NftException">nft refused the batch or could not run.</exception>
    Task FillAsync(string table, MapFill fill, CancellationToken cancel = default) => RunAsync(NftWriter.Fill(table, fill), checkOnly: false, cancel);

    /// <summary>Lists <c>inet <paramref name="table"/></c>, as JSON or text; null when the table does not exist.</summary>
    /// <exception cref="NftException">nft could not run or refused.</exception>
    Task<string?> ListTableAsync(string table, bool json, CancellationToken cancel = default);

    /// <summary>
    /// Lists <c>inet <paramref name="table"/></c> as JSON and reads it with <paramref name="read"/>, from
    /// the UTF-8 bytes nft printed: a busy door's listing runs to megabytes, which status reads without
    /// decoding them to text first. Null when the table does not exist.
    /// </summary>
    /// <exception cref="NftException">nft could not run or refused.</exception>
    /// <exception cref="FormatException"><paramref name="read"/> found the listing broken.</exception>
    async Task<TableReading?> ReadTableJsonAsync(string table, Func<ReadOnlyMemory<byte>, TableReading> read, CancellationToken cancel = default) =>
        await ListTableAsync(table, json: true, cancel) is { } json ? read(System.Text.Encoding.UTF8.GetBytes(json)) : null;

    /// <summary>
    /// Lists <c>inet <paramref name="table"/></c>'s objects as JSON without set elements (<c>nft -t -j</c>),
    /// read with <see cref="NftJson.ReadOutline"/>: what apply needs, at a cost that does not grow with the
    /// number of grants. The listing may hold other inet tables' objects and leave out the rules; it holds
    /// the table itself, with its handle, only when the table exists. Null when the table is absent.
    /// </summary>
    Task<string?> ListTableStructureAsync(string table, CancellationToken cancel = default) => ListTableAsync(table, json: true, cancel);

    /// <summary>
    /// Lists what <c>inet <paramref name="table"/></c> holds without its rules or elements, at a cost that
    /// grows with neither: the chains of every inet table (<c>nft -j -t list chains inet</c>) and the named
    /// sets and maps of <paramref name="table"/>, as several documents (read with <see cref="NftJson.ReadOutline"/>).
    /// Null when the table or one of <paramref name="objects"/> is missing. Without a narrower way, the
    /// listing of the whole table, which holds all of it.
    /// </summary>
    /// <param name="table">The table.</param>
    /// <param name="objects">Its sets and maps to list, as keyword (<c>set</c> or <c>map</c>) and name.</param>
    /// <param name="cancel">Stops waiting for nft.</param>
    /// <exception cref="NftException">nft could not run or refused.</exception>
    Task<string?> ListOutlineAsync(string table, IReadOnlyList<(string Keyword, string Name)> objects, CancellationToken cancel = default) =>
        ListTableStructureAsync(table, cancel);

    /// <summary>nft's version line, e.g. <c>nftables v1.0.6 (Lester Gooch #5)</c>.</summary>
    /// <exception cref="NftException">nft could not run.</exception>
    Task<string> VersionAsync(CancellationToken cancel = default) => throw new NotSupportedException();

    /// <summary>The whole ruleset as JSON, read only: for diagnostics (doctor), never to change another table.</summary>
    /// <exception cref="NftException">nft could not run or refused.</exception>
    Task<string> ListRulesetAsync(CancellationToken cancel = default) => throw new NotSupportedException();

    /// <summary>
    /// Every table but <c>inet <paramref name="ourTable"/></c> that may hold nat rules, as JSON documents one
    /// after another: read only, for apply's and doctor's reading of the host's DNAT rules. Without a narrower
    /// way, the whole ruleset, which holds them all.
    /// </summary>
    /// <exception cref="NftException">nft could not run or refused.</exception>
    Task<string> ListNatTablesAsync(string ourTable, CancellationToken cancel = default) => ListRulesetAsync(cancel);
}
