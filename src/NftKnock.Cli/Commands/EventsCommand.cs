using System.CommandLine;
using NftKnock.Core.Model;
using NftKnock.Server.Events;

namespace NftKnock.Cli.Commands;

/// <summary><c>nftknock events</c>: grants and refused replays, read from the table's NFLOG group or from what its recorder kept.</summary>
internal static class EventsCommand
{
    /// <summary>The longest --since: a kernel log rarely reaches back further, and the arithmetic stays far from overflow.</summary>
    public static readonly TimeSpan MaxSince = TimeSpan.FromDays(366);

    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object per line instead of text." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep reading: print new events as the kernel logs them, until interrupted." };
        var since = new Option<string?>("--since") { Description = "Only events from this long ago on, like 10m or 2h (ms, s, m or h).", HelpName = "DURATION" };
        var from = FromOption();
        var record = new Option<bool>("--record") { Description = "Print each event as the line the table logged (the form nftknock-events.service keeps and fail2ban reads)." };
        var exec = new Option<string?>("--exec") { Description = "With --follow: run this program for each event, with the ARGs after it (no shell); the event is in NFTKNOCK_* variables.", HelpName = "CMD" };
        var execTimeout = new Option<string>("--exec-timeout") { Description = "Kill a --exec command that runs longer than this.", HelpName = "DURATION", DefaultValueFactory = _ => "30s" };
        var args = new Argument<string[]>("ARG") { Description = "Arguments for --exec's program; put -- before any that start with -.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("events", "Show grants and refused replays (the doors' log lines, from their NFLOG group or the recorder's journal), one per line.") { json, follow, since, from, record, exec, execTimeout, args };
        command.SetAction(async (parse, cancel) =>
        {
            DateTimeOffset? start = null;
            if (parse.GetValue(since) is { } text)
            {
                if (!Duration.TryParse(text, out var ago) || ago <= TimeSpan.Zero || ago > MaxSince)
                {
                    context.Error.WriteLine(Texts.BadSince(text));
                    return ExitCodes.Usage;
                }

                start = context.Time.GetUtcNow() - ago;
            }

            if (Hook(context, parse.GetValue(exec), parse.GetValue(args) ?? [], parse.GetValue(execTimeout)!, parse.GetValue(follow)) is not { } hook)
            {
                return ExitCodes.Usage;
            }

            if (parse.GetValue(from) == LogSource.Nflog && !parse.GetValue(follow))
            {
                context.Error.WriteLine(Texts.NflogNeedsFollow);
                return ExitCodes.Usage;
            }

            await using var running = hook.Value;
            var log = context.KernelLog(parse.GetValue(from));
            return await PrintAsync(context, log, (start, parse.GetValue(follow)), (parse.GetValue(json), parse.GetValue(record)), running, cancel);
        });
        return command;
    }

    /// <summary>Prints each event of <paramref name="log"/> as it comes, and hands it to the --exec hook.</summary>
    private static async Task<int> PrintAsync(
        CliContext context, IKernelLog log, (DateTimeOffset? Start, bool Follow) read, (bool Json, bool Record) form, GrantHook? running, CancellationToken cancel)
    {
        try
        {
            await foreach (var (line, knock) in KernelLogs.RecordsAsync(log, read.Start, read.Follow, cancel))
            {
                context.Out.WriteLine(form.Record ? line.Message : form.Json ? EventFormat.Json(knock) : EventFormat.Text(knock));
                // Each event as it comes: --follow feeds pipes and tail-like readers.
                context.Out.Flush();
                running?.Post(knock);
            }
        }
        catch (KernelLogException e) when (e.Kind == KernelLogFailure.PermissionDenied)
        {
            context.Error.WriteLine(Texts.KernelLogDenied(e.Log, e.Reason));
            return ExitCodes.NeedsPrivileges;
        }
        catch (KernelLogException e)
        {
            context.Error.WriteLine(Texts.KernelLogUnavailable(e.Log, e.Reason));
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Interrupted while following: the events so far were printed.
        }

        return ExitCodes.Ok;
    }

    /// <summary>--from, read and completed in the lowercase words the docs use, with one line naming them for any other value.</summary>
    private static Option<LogSource> FromOption()
    {
        string[] names = ["auto", "journal", "nflog"];
        LogSource[] sources = [LogSource.Auto, LogSource.Journal, LogSource.Nflog];
        var from = new Option<LogSource>("--from")
        {
            Description = "The log to read: auto (journald when it runs, else nflog), journal (what nftknock-events.service recorded) or nflog (the table's NFLOG group, with --follow).",
            HelpName = "auto|journal|nflog",
            DefaultValueFactory = _ => LogSource.Auto,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                var index = Array.IndexOf(names, text);
                if (index < 0)
                {
                    result.AddError(Texts.BadFrom(text));
                    return LogSource.Auto;
                }

                return sources[index];
            },
        };
        from.CompletionSources.Clear();
        from.CompletionSources.Add(names);
        return from;
    }

    /// <summary>The --exec hook: a null hook without --exec; null itself after a usage error, which it has reported.</summary>
    private static Holder? Hook(CliContext context, string? program, string[] args, string timeoutText, bool follow)
    {
        if (program is null)
        {
            if (args.Length > 0)
            {
                context.Error.WriteLine(Texts.ArgsWithoutExec(args[0]));
                return null;
            }

            return new Holder(null);
        }

        if (!follow)
        {
            context.Error.WriteLine(Texts.ExecNeedsFollow);
            return null;
        }

        if (!Duration.TryParse(timeoutText, out var timeout) || timeout < TimeSpan.FromSeconds(1) || timeout > TimeSpan.FromHours(1))
        {
            context.Error.WriteLine(Texts.BadExecTimeout(timeoutText));
            return null;
        }

        return new Holder(new GrantHook([program, .. args], timeout, context.Error));
    }

    /// <summary>The hook or none, so that a usage error can be told from no hook.</summary>
    private sealed record Holder(GrantHook? Value);
}
