using System.Text;
using NftKnock.Server.Events;
using NftKnock.Server.Host;
using NftKnock.Server.Nftables;
using NftKnock.Server.Safety;

namespace NftKnock.Cli.Tests.Deploy;

/// <summary>Runs the watcher in-process instead of as a detached process.</summary>
internal sealed class InProcessLauncher(INftables nft) : IWatcherLauncher
{
    public Task<IWatcherHandle> StartAsync(string pendingPath, CancellationToken cancel)
    {
        var pending = PendingApply.FromJson(File.ReadAllText(pendingPath));
        var files = new RollbackFiles(Path.GetDirectoryName(pendingPath)!, pending.Table);
        var watcher = new RollbackWatcher(nft, TimeProvider.System, files) { Poll = TimeSpan.FromMilliseconds(20) };
        var lines = System.Threading.Channels.Channel.CreateUnbounded<string?>();
        lines.Writer.TryWrite("armed");
        _ = Task.Run(async () =>
        {
            var outcome = await watcher.WatchAsync(pending, CancellationToken.None);
            lines.Writer.TryWrite(outcome.ToLine());
            lines.Writer.TryWrite(null);
        }, CancellationToken.None);
        return Task.FromResult<IWatcherHandle>(new Handle(lines.Reader));
    }

    private sealed class Handle(System.Threading.Channels.ChannelReader<string?> lines) : IWatcherHandle
    {
        public async Task<string?> ReadLineAsync(CancellationToken cancel) => await lines.ReadAsync(cancel);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>A CLI run against fakes: output, error, exit code.</summary>
internal sealed class CliHarness : IDisposable
{
    private readonly Dictionary<string, string> environment = [];

    public CliHarness()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("nkd-cli-").FullName;
        environment[RollbackFiles.DirectoryVariable] = Path.Combine(Directory, "run");
        environment[NftKnock.Server.Rotation.RotationHost.DirectoryVariable] = Path.Combine(Directory, "state");
    }

    public string Directory { get; }

    public FakeNftables Nft { get; } = new();

    public RollbackFiles Files => new(environment[RollbackFiles.DirectoryVariable], "nftknock");

    public StringWriter Out { get; } = new();

    public StringWriter Error { get; } = new();

    public string Input { get; set; } = string.Empty;

    /// <summary>Starts apply --confirm's watcher; the in-process one unless a test swaps it.</summary>
    public Func<IWatcherLauncher>? Launcher { get; set; }

    /// <summary>What doctor hears about the clock; the test host's own clock may well be unsynchronised.</summary>
    public ClockState Clock { get; set; } = ClockState.Synchronised;

    /// <summary>
    /// Doctor's host: the real one for secret files (the tests write them with real modes), an empty
    /// socket table (nothing listens, whatever runs on this machine), <see cref="Clock"/>, and no
    /// namespaces or sysctls (whatever namespace the tests run in).
    /// </summary>
    private SystemHost Host => new(procNet: Path.Combine(Directory, "no-proc-net"), clock: () => Clock, proc: Path.Combine(Directory, "no-proc"));

    /// <summary>The log events reads.</summary>
    public FakeKernelLog Log { get; } = new();

    /// <summary>The clock commands read the time from.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    public void Set(string variable, string value) => environment[variable] = value;

    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public Task<int> RunAsync(params string[] args) => NftKnockApp.RunAsync(args, new CliContext
    {
        Out = Out,
        Error = Error,
        Input = new MemoryStream(Encoding.UTF8.GetBytes(Input)),
        Nftables = () => Nft,
        IsPrivileged = () => true,
        Host = Host,
        Time = Time,
        KernelLog = _ => Log,
        Environment = name => environment.GetValueOrDefault(name),
        RollbackWatcher = Launcher ?? (() => new InProcessLauncher(Nft)),
    });

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
