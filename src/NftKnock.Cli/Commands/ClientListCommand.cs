using System.CommandLine;
using System.Globalization;
using System.Text;
using NftKnock.Cli.Enrolment;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Status;
using NftKnock.Server.Tables;

namespace NftKnock.Cli.Commands;

/// <summary><c>nftknock client list</c>: each client with its limits and, from the kernel, its grants, replays and last knock.</summary>
internal static class ClientListCommand
{
    public static Command Create(CliContext context)
    {
        var config = ConfigLoader.Option();
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("list", "List the rotating doors' clients: created, time limits, grants, replays and last knock.") { config, json };
        command.SetAction(async (parse, cancel) =>
        {
            var path = parse.GetValue(config)!;
            if (ConfigLoader.Load(path, context, quietWarnings: true)?.Config is not { } valid || !FileText.TryRead(path, out var text, out _))
            {
                return ExitCodes.Usage;
            }

            TableReading? state = null;
            if (context.IsPrivileged())
            {
                var code = await Run.Nft(context, async () =>
                {
                    state = await new TableService(context.Nftables()).ReadAsync(valid.Table, cancel);
                    return ExitCodes.Ok;
                });
                if (code != ExitCodes.Ok)
                {
                    return code;
                }
            }

            var now = context.Time.GetUtcNow();
            var rows = ClientRows.Build(valid, path, text, state, now);
            context.Out.Write(parse.GetValue(json) ? Json(rows) : Table(rows));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Table(List<ClientRow> rows)
    {
        static string When(DateTimeOffset? t) => t?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
        static string Number(long? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "-";
        var lines = new List<string[]> { new[] { "CLIENT", "DOOR", "CREATED", "LIMITS", "GRANTS", "REPLAYS", "LAST KNOCK" } };
        lines.AddRange(rows.Select(r => new[]
        {
            r.Name, r.Door, When(r.Created), r.Limits.Count == 0 ? "-" : string.Join(" ", r.Limits.Select(l => $"{l.Key}={l.Value}")),
            Number(r.Grants), Number(r.Replays), When(r.LastKnock),
        }));
        var widths = Enumerable.Range(0, 7).Select(i => lines.Max(l => l[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(string.Join("  ", line.Select((cell, i) => i == line.Length - 1 ? cell : cell.PadRight(widths[i])))).Append('\n');
        }

        return text.ToString();
    }

    private static string Json(List<ClientRow> rows) => JsonOutput.Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("clients");
        foreach (var row in rows)
        {
            w.WriteStartObject();
            w.WriteString("name", row.Name);
            w.WriteString("door", row.Door);
            Time(w, "created", row.Created);
            foreach (var (key, value) in row.Limits)
            {
                w.WriteString(key, value);
            }

            Number(w, CounterKind.Grants.Format(), row.Grants);
            Number(w, CounterKind.Replays.Format(), row.Replays);
            Time(w, "last_knock", row.LastKnock);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }) + "\n";

    private static void Time(System.Text.Json.Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is { } t)
        {
            w.WriteString(name, t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Number(System.Text.Json.Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } n)
        {
            w.WriteNumber(name, n);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
