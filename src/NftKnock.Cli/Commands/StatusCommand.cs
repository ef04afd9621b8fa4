using System.CommandLine;
using System.Globalization;
using NftKnock.Server.Status;
using NftKnock.Server.Tables;

namespace NftKnock.Cli.Commands;

/// <summary><c>nftknock status</c>: grants, knocks in progress and counters, per door.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var table = new TableOption();
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("status", "Show per door the granted sources, knocks in progress and counters.") { json };
        table.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            // Privileges first: the config that names the table is often readable by root alone.
            if (!context.IsPrivileged())
            {
                context.Error.WriteLine(Texts.NotRoot("status"));
                return ExitCodes.NeedsPrivileges;
            }

            if (table.Resolve(parse, context) is not { } name)
            {
                return ExitCodes.Usage;
            }

            return await Run.Nft(context, async () =>
            {
                var state = await new TableService(context.Nftables()).ReadOursAsync(name, cancel);
                if (state is null)
                {
                    context.Error.WriteLine(Texts.NoTable(name));
                    return ExitCodes.Failure;
                }

                var report = StatusReport.From(state);
                if (parse.GetValue(json) && context.OutputStream is { } stdout)
                {
                    // Straight to standard output as UTF-8: a busy door's JSON runs to megabytes.
                    StatusJson.Write(report, stdout);
                    stdout.Write("\n"u8);
                    stdout.Flush();
                }
                else if (parse.GetValue(json))
                {
                    context.Out.WriteLine(StatusJson.Write(report));
                }
                else
                {
                    Human(report, context.Out, context.Time.GetUtcNow());
                }

                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static void Human(StatusReport report, TextWriter output, DateTimeOffset now)
    {
        output.WriteLine(Texts.StatusTable(report.Table, report.Doors.Count));
        if (report.Audit)
        {
            output.WriteLine(Texts.StatusAudit);
        }
        foreach (var door in report.Doors)
        {
            output.WriteLine();
            output.WriteLine(Texts.StatusDoor(door.Name, door.Protect, door.Steps, door.Counters));
            foreach (var client in door.Clients)
            {
                output.WriteLine(Texts.StatusClient(client.Name, client.Grants, client.Replays, client.Outside));
            }

            if (door.KnocksLeftMs is { } left)
            {
                output.WriteLine(left > 0 ? Texts.StatusKnocksUntil(now + TimeSpan.FromMilliseconds(left)) : Texts.StatusKnocksExpired);
            }

            if (door.Open.Count == 0 && door.InProgress.Count == 0)
            {
                output.WriteLine(Texts.StatusIdle);
                continue;
            }

            var rows = new List<(string Source, string State, string Left)>();
            rows.AddRange(door.Open.Take(MaxRows).Select(o => (o.Address, Texts.StatusOpen, Seconds(o.ExpiresInMs))));
            rows.AddRange(door.InProgress.Take(MaxRows).Select(p => (p.Address, Texts.StatusStep(p.Stage, door.Steps), Seconds(p.ExpiresInMs))));
            Rows(rows, output);
            var hidden = Math.Max(0, door.Open.Count - MaxRows) + Math.Max(0, door.InProgress.Count - MaxRows);
            if (hidden > 0)
            {
                // A flood can leave hundreds of thousands of sources in progress: a screen of them helps nobody.
                output.WriteLine(Texts.StatusHidden(door.Open.Count, door.InProgress.Count, hidden));
            }
        }
    }

    /// <summary>
    /// Three aligned columns under a dashed rule, time left flush right. Plain text on purpose:
    /// status runs once and exits, and a table library's start-up cost it more than the drawing.
    /// </summary>
    private static void Rows(List<(string Source, string State, string Left)> rows, TextWriter output)
    {
        const string Source = Texts.ColumnSource, State = Texts.ColumnState, Left = Texts.ColumnLeft;
        var a = Math.Max(Source.Length, rows.Max(r => r.Source.Length));
        var b = Math.Max(State.Length, rows.Max(r => r.State.Length));
        var c = Math.Max(Left.Length, rows.Max(r => r.Left.Length));
        output.WriteLine($"  {Source.PadRight(a)}  {State.PadRight(b)}  {Left.PadLeft(c)}");
        output.WriteLine($"  {new string('-', a)}  {new string('-', b)}  {new string('-', c)}");
        foreach (var (source, state, left) in rows)
        {
            output.WriteLine($"  {source.PadRight(a)}  {state.PadRight(b)}  {left.PadLeft(c)}");
        }
    }

    private const int MaxRows = 20;

    private static string Seconds(long ms) => string.Create(CultureInfo.InvariantCulture, $"{ms / 1000.0:0}s");
}
