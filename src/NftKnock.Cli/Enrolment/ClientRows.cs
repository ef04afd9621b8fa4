using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Yaml;
using NftKnock.Server.Tables;

namespace NftKnock.Cli.Enrolment;

/// <summary>One line of <c>client list</c>.</summary>
/// <param name="Name">The client.</param>
/// <param name="Door">Its door.</param>
/// <param name="Created">When its secret file was written; null when it cannot be read.</param>
/// <param name="Limits">Its time-limit keys as the config writes them (expires, days, hours, timezone).</param>
/// <param name="Grants">The kernel's grant counter for it; null without the table.</param>
/// <param name="Replays">The kernel's replay counter for it; null without the table.</param>
/// <param name="LastKnock">When it last completed a window, while the kernel still holds the claim.</param>
internal sealed record ClientRow(string Name, string Door, DateTimeOffset? Created, IReadOnlyList<(string Key, string Value)> Limits, long? Grants, long? Replays, DateTimeOffset? LastKnock);

/// <summary>Builds <c>client list</c>'s rows from the config, its text (for keys the model may not carry) and the table as read.</summary>
internal static class ClientRows
{
    private static readonly string[] LimitKeys = ["expires", "days", "hours", "timezone"];

    public static List<ClientRow> Build(ServerConfig config, string configPath, string text, TableReading? state, DateTimeOffset now)
    {
        var rows = new List<ClientRow>();
        foreach (var door in config.Doors)
        {
            foreach (var client in door.Clients)
            {
                var secret = SecretFiles.FullPath(configPath, client.SecretFile);
                DateTimeOffset? created = File.Exists(secret) ? new DateTimeOffset(File.GetLastWriteTimeUtc(secret), TimeSpan.Zero) : null;
                long? Counter(CounterKind kind) => state is null ? null : state.Packets(Names.Counter(door.Name, kind, client.Name));
                var last = state is null ? null : ClientOwners.LastKnock(ClientOwners.Of(state, door, client, now), door, now);
                rows.Add(new ClientRow(client.Name, door.Name, created, Limits(text, door.Name, client.Name), Counter(CounterKind.Grants), Counter(CounterKind.Replays), last));
            }
        }

        return rows;
    }

    /// <summary>The client entry's time-limit keys, read from the YAML as written, so they show whatever reads them.</summary>
    private static List<(string, string)> Limits(string text, string door, string client)
    {
        var entry = Child(Child(Child(Child(YamlTree.Parse(text), "doors"), door), "rotating"), "clients") is YamlSequence list
            ? list.Items.OfType<YamlMapping>().FirstOrDefault(m => m.Entries.Any(e => e.Key.Value == "name" && e.Value is YamlScalar { Value: var v } && v == client))
            : null;
        return entry is null ? [] : entry.Entries
            .Where(e => LimitKeys.Contains(e.Key.Value))
            .Select(e => (e.Key.Value, e.Value switch
            {
                YamlScalar s => s.Value,
                YamlSequence s => string.Join(",", s.Items.OfType<YamlScalar>().Select(i => i.Value)),
                _ => "?",
            }))
            .ToList();
    }

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMapping map ? map.Entries.FirstOrDefault(e => e.Key.Value == key).Value : null;
}
