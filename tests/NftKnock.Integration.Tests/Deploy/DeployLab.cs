using System.Diagnostics;
using System.Text.RegularExpressions;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Deploy;

/// <summary>A lab for the deploy tests: nftknock runs in the server namespace with its own run directory.</summary>
internal sealed partial class DeployLab : IAsyncDisposable
{
    public const string Old = """
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [7000/udp, 9000/tcp, 8000/udp]
            open-for: 1h
        """;

    public const string New = """
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [7100/udp, 9100/tcp, 8100/udp]
          web:
            protect: [8080/tcp]
            sequence: [7200/udp, 9200/udp, 8200/tcp]
        """;

    private readonly List<string> files = [];

    private DeployLab(Lab lab)
    {
        Lab = lab;
        RunDir = Path.Combine(Path.GetTempPath(), $"{lab.Id}-run");
    }

    public Lab Lab { get; }

    public string RunDir { get; }

    public Netns Server => Lab.Server;

    public static async Task<DeployLab> StartAsync() => new(await Lab.StartAsync("nkd"));

    public string Write(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Lab.Id}-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        files.Add(path);
        return path;
    }

    /// <summary>Runs nftknock in the server namespace to completion.</summary>
    public Task<ProcResult> NftknockAsync(string? stdin, IEnumerable<string> env, params string[] args) =>
        Proc.RunAsync("ip", ["netns", "exec", Server.Name, "env", $"NFTKNOCK_RUN_DIR={RunDir}", $"NFTKNOCK_STATE_DIR={Server.StateDir}", .. env, .. NftknockCli.Command(args)], TimeSpan.FromSeconds(60), stdin);

    public Task<ProcResult> NftknockAsync(params string[] args) => NftknockAsync(null, [], args);

    /// <summary>Starts nftknock in a process group of its own (pid = group id), standard input closed.</summary>
    public Process StartInOwnGroup(params string[] args) =>
        Proc.Start("setsid", ["ip", "netns", "exec", Server.Name, "env", $"NFTKNOCK_RUN_DIR={RunDir}", $"NFTKNOCK_STATE_DIR={Server.StateDir}", .. NftknockCli.Command(args)]);

    /// <summary>Waits until apply --confirm has applied and asks for confirmation.</summary>
    public static async Task WaitForPromptAsync(Process apply)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await apply.StandardError.ReadLineAsync(limit.Token) is { } line)
        {
            if (line.Contains("type yes within", StringComparison.Ordinal))
            {
                return;
            }
        }

        throw new InvalidOperationException($"apply --confirm ended without asking; stdout: {await apply.StandardOutput.ReadToEndAsync(limit.Token)}");
    }

    public static async Task<int> ExitCodeAsync(Process process, TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    /// <summary><c>nft list table inet nftknock</c>, or null when the table does not exist.</summary>
    public async Task<string?> ListAsync()
    {
        var result = await Server.RunAsync("nft", "list", "table", "inet", "nftknock");
        return result.ExitCode == 0 ? result.Stdout : null;
    }

    public Task GrantAsync(string address, string timeout) =>
        Server.RunAsync("nft", "add", "element", "inet", "nftknock", address.Contains(':', StringComparison.Ordinal) ? "ssh_open_v6" : "ssh_open_v4", $"{{ {address} timeout {timeout} }}");

    /// <summary>The listing without the countdowns, which move on between two listings.</summary>
    public static string? WithoutExpiry(string? listing) => listing is null ? null : Expires().Replace(listing, string.Empty);

    /// <summary>Milliseconds left of each element that has a countdown, in listing order.</summary>
    public static IReadOnlyList<double> TimeLeft(string listing) =>
        Expires().Matches(listing).Select(m => NftKnock.Server.Safety.NftDuration.TryParse(m.Groups[1].Value, out var left) ? left.TotalMilliseconds : -1).ToList();

    [GeneratedRegex(@" expires ((?:\d+(?:ms|d|h|m|s))+)")]
    private static partial Regex Expires();

    public async ValueTask DisposeAsync()
    {
        await Lab.DisposeAsync();
        foreach (var file in files)
        {
            File.Delete(file);
        }

        if (Directory.Exists(RunDir))
        {
            Directory.Delete(RunDir, recursive: true);
        }
    }
}
