using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NftKnock.Client.Rotating;
using NftKnock.Core.Model;
using NftKnock.Core.Rotating;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Rotating;

/// <summary>
/// A lab whose server has a rotating door: secrets and config live in a private folder that is
/// deleted with the lab, and the protected service is an echo service on 22/tcp.
/// </summary>
public sealed class RotatingLab : IAsyncDisposable
{
    private readonly string folder;

    private RotatingLab(Lab lab, string folder)
    {
        Lab = lab;
        this.folder = folder;
    }

    /// <summary>The namespaces.</summary>
    public Lab Lab { get; }

    /// <summary>Where the server config is.</summary>
    public string ConfigPath => Path.Combine(folder, "nftknock.yaml");

    /// <summary>The secrets by client name.</summary>
    public Dictionary<string, byte[]> Secrets { get; } = new(StringComparer.Ordinal);

    /// <summary>Starts the namespaces, writes one secret per client and the echo service.</summary>
    public static Task<RotatingLab> StartAsync(params string[] clients) => StartWithPrefixAsync("nkr", clients);

    /// <summary>As <see cref="StartAsync"/>, with namespaces named after <paramref name="prefix"/>.</summary>
    public static async Task<RotatingLab> StartWithPrefixAsync(string prefix, IReadOnlyList<string> clients)
    {
        var lab = await Lab.StartAsync(prefix);
        var folder = Path.Combine(Path.GetTempPath(), $"{lab.Id}-rotating");
        var rotating = new RotatingLab(lab, folder);
        try
        {
            Directory.CreateDirectory(folder);
            foreach (var client in clients)
            {
                var secret = RandomNumberGenerator.GetBytes(32);
                rotating.Secrets[client] = secret;
                var path = rotating.SecretPath(client);
                await File.WriteAllTextAsync(path, RotatingSecret.Format(secret));
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }

            await lab.Server.EchoServiceAsync(22);
            return rotating;
        }
        catch
        {
            await rotating.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits until the clock is between <paramref name="from"/> and <paramref name="to"/> (fractions of a
    /// period) into a window, so a test that must not cross a boundary starts with room to spare.
    /// </summary>
    public static async Task AtWindowFractionAsync(TimeSpan period, double from, double to)
    {
        var ms = (long)period.TotalMilliseconds;
        var into = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() % ms;
        if (into < from * ms || into > to * ms)
        {
            var wait = ((ms - into) % ms) + (long)(from * ms);
            await Task.Delay(TimeSpan.FromMilliseconds(into < from * ms ? (from * ms) - into : wait));
        }
    }

    /// <summary>The secret file of <paramref name="client"/>.</summary>
    public string SecretPath(string client) => Path.Combine(folder, $"{client}.secret");

    /// <summary>A config with one rotating door <c>ssh</c> whose clients are <paramref name="clients"/>.</summary>
    public string Config(TimeSpan period, bool closeOnConnect, params string[] clients)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            doors:
              ssh:
                protect: [22/tcp]
                step-timeout: 1s
                open-for: 3s
                close-on-connect: {(closeOnConnect ? "true" : "false")}
                rotating:
                  period: {Duration.Format(period)}
                  clients:

            """);
        foreach (var client in clients)
        {
            text.Append(CultureInfo.InvariantCulture, $"        - {{name: {client}, secret-file: {SecretPath(client)}}}\n");
        }

        return text.ToString();
    }

    /// <summary>Writes the config and applies it in the server.</summary>
    public async Task ApplyAsync(string yaml)
    {
        await File.WriteAllTextAsync(ConfigPath, yaml);
        (await Lab.Server.NftknockAsync("apply", "-c", ConfigPath)).EnsureSuccess("nftknock apply");
    }

    /// <summary>
    /// Starts nftknock rotate in the server and waits for its first write; it is killed when the lab is
    /// disposed, or earlier by the test.
    /// </summary>
    public async Task<System.Diagnostics.Process> StartRotateAsync()
    {
        var rotate = Lab.Server.Start("env", Lab.Server.Nftknock("rotate", "-c", ConfigPath)[1..]);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await rotate.StandardOutput.ReadLineAsync(limit.Token);
        if (line is null || !line.Contains(" rotated ssh:", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"nftknock rotate did not write: {line} {await rotate.StandardError.ReadToEndAsync(limit.Token)}");
        }

        // Keep draining stdout so rotate never blocks on a full pipe.
        _ = rotate.StandardOutput.ReadToEndAsync(CancellationToken.None);
        return rotate;
    }

    /// <summary>
    /// Asserts whether <paramref name="ns"/> can connect to 22/tcp; on a surprise the message carries the
    /// time and the server's table, so a failure on a loaded machine can be told apart from a bug.
    /// </summary>
    public async Task ExpectAsync(bool open, Netns ns, string host, string what)
    {
        var actual = await ns.CanConnectAsync(host, 22, seconds: 2);
        if (actual != open)
        {
            var table = (await Lab.Server.RunAsync("nft", "list", "table", "inet", "nftknock")).Stdout;
            throw new Xunit.Sdk.XunitException(
                $"{what}: expected {(open ? "open" : "closed")} but it was {(actual ? "open" : "closed")} at {DateTimeOffset.UtcNow:O}.\n{table}");
        }
    }

    /// <summary>Knocks <paramref name="window"/> once and expects the door open; a failure names the window and its knocks.</summary>
    public async Task KnockAndExpectOpenAsync(Netns ns, string host, RotatingWindow window, string what)
    {
        await ns.KnockAsync(host, window);
        var sent = string.Join(", ", window.Knocks.Select(k => $"{k.Port} . {k.TokenHex}"));
        await ExpectAsync(true, ns, host, $"{what} (window {window.Number}, started {window.Start:O}: {sent})");
    }

    /// <summary>Writes a client profile for <paramref name="client"/> that points at <paramref name="server"/>; the secret is a file, as a user would copy it.</summary>
    public string WriteProfile(string client, string server, TimeSpan period)
    {
        var path = Path.Combine(folder, $"{client}-client.yaml");
        File.WriteAllText(path, $$"""
            hosts:
              {{server}}:
                port: 22
                rotating: {door: ssh, secret-file: {{SecretPath(client)}}, period: {{Duration.Format(period)}}}
            """);
        return path;
    }

    /// <summary>The client-side view of <paramref name="client"/>'s secret, through the client library.</summary>
    public RotatingSequence Sequence(string client, TimeSpan period)
    {
        var spec = RotatingSpec.Default("ssh") with { Period = period };
        RotatingSequence.TryCreate(spec, RotatingSecret.Format(Secrets[client]), out var sequence);
        return sequence!;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Lab.DisposeAsync();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Rotating knocks sent from inside a namespace: UDP datagrams whose payload is the token.</summary>
public static class RotatingPackets
{
    /// <summary>
    /// Sends <paramref name="knocks"/> in order, 50 ms apart, from one bash process. Each payload goes
    /// through a file and one dd write: bash's printf flushes at a newline byte, which would split a
    /// token containing 0x0a into two datagrams.
    /// </summary>
    public static async Task KnockAsync(this Netns ns, string host, IEnumerable<RotatingKnock> knocks)
    {
        var folder = Directory.CreateTempSubdirectory($"{ns.Name}-knock-").FullName;
        try
        {
            var script = new StringBuilder();
            var i = 0;
            foreach (var knock in knocks)
            {
                var file = Path.Combine(folder, i++.ToString(CultureInfo.InvariantCulture));
                await File.WriteAllBytesAsync(file, knock.Payload());
                script.Append(CultureInfo.InvariantCulture, $"dd if={file} bs=8 count=1 status=none > /dev/udp/{host}/{knock.Port}; sleep 0.05; ");
            }

            (await ns.ShAsync(script.ToString())).EnsureSuccess("rotating knock");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Sends the knocks of <paramref name="window"/>.</summary>
    public static Task KnockAsync(this Netns ns, string host, RotatingWindow window) => ns.KnockAsync(host, window.Knocks);
}
