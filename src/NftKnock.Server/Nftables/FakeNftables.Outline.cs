using System.Text.Json;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Status;

namespace NftKnock.Server.Nftables;

// The narrow listings rotate reads, as nft 1.0.6 prints them: one document per list command.
public sealed partial class FakeNftables
{
    private int outlineReads;

    /// <summary>How many narrow listings (<see cref="ListOutlineAsync"/>) were asked for.</summary>
    public int OutlineReads => Volatile.Read(ref outlineReads);

    /// <inheritdoc/>
    public Task<string?> ListOutlineAsync(string table, IReadOnlyList<(string Keyword, string Name)> objects, CancellationToken cancel = default)
    {
        Interlocked.Increment(ref calls);
        Interlocked.Increment(ref outlineReads);
        if ((Missing ?? ListingFails) is { } failure)
        {
            throw failure;
        }

        lock (Scripts)
        {
            if (Tables.TryGetValue(table, out var served))
            {
                return Task.FromResult<string?>(served);
            }

            if (!state.TryGetValue(table, out var held) || objects.Any(o => !held.Objects.Any(x => x.Keyword == o.Keyword && x.Name == o.Name)))
            {
                return Task.FromResult<string?>(null);
            }

            // list chains inet lists every inet table's chains; list set and list map only the one asked for.
            var documents = new List<string>
            {
                Document(w => state.Values.OrderBy(t => t.Handle).ToList().ForEach(t => t.Objects.OfType<NftChain>().ToList().ForEach(c => Chain(w, t, c)))),
            };
            documents.AddRange(objects.Select(o => Document(w => Set(w, held, held.Objects.First(x => x.Keyword == o.Keyword && x.Name == o.Name), elements: false))));
            return Task.FromResult<string?>(string.Join('\n', documents) + "\n");
        }
    }

    /// <summary>One listing document: <c>{"nftables": [{"metainfo": ...}, items...]}</c>.</summary>
    private static string Document(Action<Utf8JsonWriter> items) => JsonOutput.Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("nftables");
        w.WriteStartObject();
        w.WriteStartObject("metainfo");
        w.WriteString("version", "1.0.6");
        w.WriteNumber("json_schema_version", NftJson.SchemaVersion);
        w.WriteEndObject();
        w.WriteEndObject();
        items(w);
        w.WriteEndArray();
        w.WriteEndObject();
    });
}
