using System.CommandLine;
using NftKnock.Server.Metrics;
using NftKnock.Server.Tables;

namespace NftKnock.Cli.Commands;

/// <summary><c>nftknock metrics</c>: the table's counters and set sizes in Prometheus' text format, or as node_exporter's textfile.</summary>
internal static class MetricsCommand
{
    public static Command Create(CliContext context)
    {
        var table = new TableOption();
        var textfile = new Option<string?>("--textfile") { Description = $"Write DIR/{Textfile.FileName} atomically (for node_exporter's textfile collector) instead of printing.", HelpName = "DIR" };
        var command = new Command("metrics", "Print per-door counters, per-client counts and set sizes in Prometheus' text format.") { textfile };
        table.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            if (!context.IsPrivileged())
            {
                context.Error.WriteLine(Texts.NotRoot("metrics"));
                return ExitCodes.NeedsPrivileges;
            }

            if (table.Resolve(parse, context) is not { } name)
            {
                return ExitCodes.Usage;
            }

            var directory = parse.GetValue(textfile);
            if (directory is not null && !Directory.Exists(directory))
            {
                context.Error.WriteLine(Texts.TextfileDirectoryMissing(directory));
                return ExitCodes.Usage;
            }

            return await Run.Nft(context, async () =>
            {
                // One listing, its sets' elements counted rather than read.
                var state = await new TableService(context.Nftables()).ReadCountsAsync(name, cancel);
                var report = state is null ? MetricsReport.Absent(name) : MetricsReport.From(state);
                if (Emit(context, directory, Exposition.Write(report)) is var written && written != ExitCodes.Ok)
                {
                    return written;
                }

                if (state is null)
                {
                    // The exposition above says nftknock_table_present 0, so an alert can see it; the exit code says it too.
                    context.Error.WriteLine(Texts.NoTable(name));
                    return ExitCodes.Failure;
                }

                return ExitCodes.Ok;
            });
        });
        return command;
    }

    /// <summary>Prints the exposition, or writes it as the textfile in <paramref name="directory"/>; an exit code.</summary>
    private static int Emit(CliContext context, string? directory, string text)
    {
        if (directory is null)
        {
            context.Out.Write(text);
            context.Out.Flush();
            return ExitCodes.Ok;
        }

        try
        {
            Textfile.Write(directory, text);
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine(Texts.TextfileFailed(Path.Combine(directory, Textfile.FileName), e.Message));
            return ExitCodes.Failure;
        }
    }
}
