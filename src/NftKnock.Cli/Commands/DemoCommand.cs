using System.CommandLine;
using System.Runtime.InteropServices;
using NftKnock.Cli.Demo;

namespace NftKnock.Cli.Commands;

/// <summary><c>nftknock demo</c>: the whole story in namespaces it creates and removes itself.</summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("demo", "Show a protected port in throwaway network namespaces: hidden, wrong knock, right knock, expiry (root).");
        command.SetAction(async (_, cancel) =>
        {
            if (!context.IsPrivileged())
            {
                context.Error.WriteLine(Texts.NotRoot("demo"));
                return ExitCodes.NeedsPrivileges;
            }

            // Ctrl-C, SIGTERM and a lost terminal all end in the same cleanup.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
            using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Cancel);
            try
            {
                return await new DemoStory(context.Out, stop.Token).RunAsync();
            }
            catch (OperationCanceledException)
            {
                context.Error.WriteLine("nftknock demo: stopped; the namespaces were removed.");
                return ExitCodes.Failure;
            }
            catch (DemoException e)
            {
                context.Error.WriteLine($"nftknock demo: {e.Message}. The namespaces were removed; check that nftables and iproute2 are installed.");
                return ExitCodes.Failure;
            }

            void Cancel(PosixSignalContext signal)
            {
                signal.Cancel = true;
                stop.Cancel();
            }
        });
        command.Add(Serve(context));
        command.Add(Probe(context));
        return command;
    }

    private static Command Serve(CliContext context)
    {
        var port = new Option<int>("--port") { Required = true };
        var command = new Command("serve", "The demo's TCP service (used inside the demo's namespaces).") { Hidden = true };
        command.Add(port);
        command.SetAction((parse, cancel) => DemoService.ServeAsync(parse.GetValue(port), context.Out, cancel));
        return command;
    }

    private static Command Probe(CliContext context)
    {
        var host = new Argument<string>("host");
        var port = new Argument<int>("port");
        var command = new Command("probe", "Connect once to see whether a port answers.") { Hidden = true };
        command.Add(host);
        command.Add(port);
        command.SetAction((parse, cancel) =>
            DemoService.ProbeAsync(parse.GetValue(host)!, parse.GetValue(port), TimeSpan.FromSeconds(1), context.Out, cancel));
        return command;
    }
}
