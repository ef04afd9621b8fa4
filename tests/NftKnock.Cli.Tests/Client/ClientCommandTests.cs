using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NftKnock.Cli.Commands;
using NftKnock.Client.Network;
using NftKnock.Core.Model;

namespace NftKnock.Cli.Tests.Client;

/// <summary>The client commands in-process: argument errors verbatim, exit codes, and a loopback session.</summary>
public sealed class ClientCommandTests : IDisposable
{
    private readonly string home = Directory.CreateTempSubdirectory("nftknock-cli-").FullName;
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();
    private readonly ScriptedNetwork network = new();

    public void Dispose() => Directory.Delete(home, recursive: true);

    private CliContext Context(Stream? input = null, Stream? outputStream = null, TimeProvider? time = null) => new()
    {
        Time = time ?? TimeProvider.System,
        Out = output,
        Error = error,
        Input = input,
        OutputStream = outputStream,
        Environment = name => name == "HOME" ? home : null,
    };

    private async Task<int> Run(params string[] args) => await NftKnockApp.RunAsync(args, Context());

    /// <summary>
    /// Runs knock or connect with the scripted network in place of real sockets, on a clock that stands in
    /// the middle of a rotating window, so no attempt crosses into the next one; its pauses pass at once.
    /// </summary>
    private async Task<int> RunScripted(params string[] args)
    {
        var clock = new TestClock(new DateTimeOffset(2026, 1, 1, 12, 0, 15, TimeSpan.Zero)) { FiresTimersAtOnce = true };
        var context = Context(new MemoryStream(), new MemoryStream(), clock);
        var root = new RootCommand { KnockCommand.Create(context, () => network), ConnectCommand.Create(context, () => network) };
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    private string Profiles(string yaml)
    {
        var path = Path.Join(home, "client.yaml");
        File.WriteAllText(path, yaml);
        if (!OperatingSystem.IsWindows())
        {
            // As nftknock init's advice leaves it: an inline secret in a file others can read draws a warning.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    [Theory]
    [InlineData("70000/udp")]
    [InlineData("7000/icmp")]
    [InlineData("seven")]
    public async Task Bad_knock_step_is_a_usage_error(string step)
    {
        (await Run("knock", "198.18.1.1", "7000/udp", step)).ShouldBe(2);
        error.ToString().ShouldBe($"nftknock: '{step}' is not a knock step. Write PORT/udp or PORT/tcp with PORT in 1..65535, like 7000/udp.\n");
        network.Sent.ShouldBeEmpty();
    }

    [Fact]
    public async Task Bad_port_is_a_usage_error()
    {
        (await Run("connect", "198.18.1.1", "ssh", "7000/udp")).ShouldBe(2);
        error.ToString().ShouldBe("nftknock: 'ssh' is not a port. Use a number from 1 to 65535.\n");
    }

    [Fact]
    public async Task No_steps_and_no_profile_names_the_profiles_file()
    {
        (await Run("connect", "bastion.test", "22")).ShouldBe(2);
        error.ToString().ShouldBe($"nftknock: no knock steps for bastion.test. Give them on the command line, like 7000/udp 8000/tcp 9000/udp, or add bastion.test with a sequence: to {home}/.config/nftknock/client.yaml.\n");
    }

    [Fact]
    public async Task Both_families_at_once_is_a_usage_error()
    {
        (await Run("knock", "bastion.test", "7000", "-4", "-6")).ShouldBe(2);
        error.ToString().ShouldBe("nftknock: -4 and -6 exclude each other. Give one of them.\n");
    }

    [Theory]
    [InlineData("--attempts", "0", "a whole number from 1 to 20")]
    [InlineData("--gap", "5x", "a duration from 0s to 2s, like 500ms or 2s")]
    [InlineData("--connect-timeout", "10ms", "a duration from 50ms to 1m, like 500ms or 2s")]
    [InlineData("--back-off", "1h", "a duration from 0s to 30s, like 500ms or 2s")]
    public async Task Option_out_of_range_says_the_range(string option, string value, string range)
    {
        (await Run("connect", "bastion.test", "22", "7000", option, value)).ShouldBe(2);
        error.ToString().ShouldBe($"nftknock: {option} {value} is out of range. Use {range}.\n");
    }

    [Fact]
    public async Task Missing_profiles_file_given_with_the_option_is_a_usage_error()
    {
        var path = Path.Join(home, "nope.yaml");
        (await Run("connect", "bastion.test", "22", "--profiles", path)).ShouldBe(2);
        error.ToString().ShouldBe($"nftknock: cannot read {path}: the file does not exist. Check the path given with --profiles.\n");
    }

    [Fact]
    public async Task Broken_profile_prints_its_diagnostics_and_stops()
    {
        var path = Profiles("hosts:\n  bastion.test:\n    sequence: [7000/udp]\n    port: 99999\n");
        (await RunScripted("connect", "bastion.test", "22", "--profiles", path)).ShouldBe(2);
        error.ToString().ShouldBe($"{path}:4:11: error NK203 at hosts.bastion.test.port: '99999' is not a port. Use a number from 1 to 65535, like 22.\n");
        network.Sent.ShouldBeEmpty();
    }

    [Fact]
    public async Task Unresolvable_host_exits_2()
    {
        (await RunScripted("knock", "nowhere.test", "7000")).ShouldBe(2);
        error.ToString().ShouldBe("nftknock: cannot resolve nowhere.test (Name or service not known). Check the name, or set address: in its profile.\n");
    }

    [Fact]
    public async Task Minus_6_for_an_IPv4_only_host_exits_2()
    {
        (await RunScripted("knock", "198.18.1.1", "7000", "-6")).ShouldBe(2);
        error.ToString().ShouldBe("nftknock: 198.18.1.1 has no IPv6 address. Drop -6 or use a name that has one.\n");
    }

    [Fact]
    public async Task No_route_exits_1()
    {
        network.NoRoute = true;
        (await RunScripted("connect", "198.18.1.1", "22", "7000", "--attempts", "1")).ShouldBe(1);
        error.ToString().ShouldBe("nftknock: no route to 198.18.1.1. Check the network connection and the address.\n");
    }

    [Fact]
    public async Task Port_that_never_opens_exits_3_after_every_attempt()
    {
        network.Hidden = true;
        (await RunScripted("connect", "198.18.1.1", "22", "7000", "8000/tcp", "9000", "--attempts", "2", "--back-off", "0s")).ShouldBe(3);
        error.ToString().ShouldBe("nftknock: knocked 2 times on 198.18.1.1 but port 22 never opened. Check the knock sequence, the family and that the server runs nftknock.\n");
        network.Sent.Count(s => s.StartsWith("connect", StringComparison.Ordinal)).ShouldBe(2);
        output.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_port_that_answers_with_a_reset_says_the_door_opened_and_nothing_listens()
    {
        network.Reset = true;
        (await RunScripted("connect", "198.18.1.1", "22", "7000", "8000/tcp", "9000", "--attempts", "2", "--back-off", "0s")).ShouldBe(3);
        error.ToString().ShouldBe("nftknock: knocked 2 times on 198.18.1.1: the door opened but nothing accepts connections on port 22. Start the service or check its port (a door whose firewall has reject: true also resets a wrong knock).\n");
    }

    [Fact]
    public async Task Connect_that_never_opens_names_every_address_it_tried_on_its_last_line()
    {
        DualName();
        network.Hidden = true;
        (await RunScripted("connect", "dual.test", "22", "7000", "--attempts", "3", "--back-off", "0s")).ShouldBe(3);
        error.ToString().ShouldBe("nftknock: knocked 3 times on dual.test (2001:db8:1::1 and 198.18.1.7) but port 22 never opened. Check the knock sequence, the family and that the server runs nftknock.\n");
    }

    private const string RotatingSecret = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    [Fact]
    public async Task A_rotating_profile_that_never_opens_tries_every_window_and_suspects_the_clock()
    {
        network.Hidden = true;
        var path = Profiles($"hosts:\n  198.18.1.1:\n    rotating: {{door: ssh, secret: {RotatingSecret}}}\n");

        (await RunScripted("connect", "198.18.1.1", "22", "--profiles", path, "--attempts", "3", "--back-off", "0s")).ShouldBe(3);

        var lines = error.ToString().Split('\n');
        lines[0].ShouldStartWith("nftknock: the door stayed closed for the previous, current and next windows. If this machine's clock (it reads ");
        lines[0].ShouldEndWith(" UTC) is more than one period (30s) off the server's, fix it (enable NTP).");
        lines[1].ShouldBe("nftknock: knocked 3 times on 198.18.1.1 but port 22 never opened. Check the secret in the profile, this machine's clock and that nftknock rotate runs on the server.", "the last line names the address and never blames the knock sequence");
        var knocks = network.Sent.Where(s => !s.StartsWith("connect", StringComparison.Ordinal)).ToList();
        knocks.Count.ShouldBe(3 + 6 + 6, "retries send each knock twice");
        knocks.ShouldAllBe(k => k.Contains("/udp 198.18.1.1:", StringComparison.Ordinal) && k.Contains(" 0x", StringComparison.Ordinal));
        knocks.Distinct().Count().ShouldBe(9, "three different windows");
    }

    [Fact]
    public async Task A_rotating_profile_that_opens_says_nothing_about_the_clock()
    {
        var path = Profiles($"hosts:\n  198.18.1.1:\n    rotating: {{door: ssh, secret: {RotatingSecret}}}\n");

        (await RunScripted("knock", "198.18.1.1", "--profiles", path, "--check", "22")).ShouldBe(0);

        output.ToString().ShouldBe("Port 22 on 198.18.1.1 is open (attempt 1).\n");
        error.ToString().ShouldBeEmpty();
        network.Sent.Count.ShouldBe(4);
    }

    [Fact]
    public async Task Knock_check_reports_the_open_port_on_stdout()
    {
        (await RunScripted("knock", "198.18.1.1", "7000", "8000/tcp", "--check", "22")).ShouldBe(0);
        output.ToString().ShouldBe("Port 22 on 198.18.1.1 is open (attempt 1).\n");
        network.Sent.ShouldBe(["7000/udp 198.18.1.1:7000", "8000/tcp 198.18.1.1:8000", "connect 198.18.1.1:22"]);
    }

    [Fact]
    public async Task Knock_check_without_a_port_takes_the_profiles_port()
    {
        var path = Profiles("hosts:\n  198.18.1.1:\n    sequence: [7000/udp]\n    port: 2222\n");
        (await RunScripted("knock", "198.18.1.1", "--profiles", path, "--check")).ShouldBe(0);
        output.ToString().ShouldBe("Port 2222 on 198.18.1.1 is open (attempt 1).\n");
    }

    [Fact]
    public async Task Knock_check_without_a_port_or_a_profile_port_is_a_usage_error()
    {
        (await RunScripted("knock", "198.18.1.1", "7000", "--check")).ShouldBe(2);
        error.ToString().ShouldBe("nftknock: no port to check on 198.18.1.1. Give it as --check PORT, or set port: in its profile.\n");
        network.Sent.ShouldBeEmpty();
    }

    [Fact]
    public async Task Knock_without_check_only_knocks()
    {
        (await RunScripted("knock", "198.18.1.1", "7000", "8000/tcp")).ShouldBe(0);
        output.ToString().ShouldBe("Knocked 2 steps on 198.18.1.1.\n");
        network.Sent.ShouldBe(["7000/udp 198.18.1.1:7000", "8000/tcp 198.18.1.1:8000"]);
    }

    private static readonly IPAddress DualV4 = IPAddress.Parse("198.18.1.1");
    private static readonly IPAddress DualV6 = IPAddress.Parse("2001:db8:1::1");

    private void DualName() => network.Names["dual.test"] = [DualV6, IPAddress.Parse("2001:db8:1::7"), IPAddress.Parse("198.18.1.7"), DualV4];

    [Fact]
    public async Task Knock_by_a_dual_stack_name_knocks_and_names_one_address_of_each_family()
    {
        DualName();

        (await RunScripted("knock", "dual.test", "7000", "8000/tcp")).ShouldBe(0);

        output.ToString().ShouldBe("Knocked 2 steps on 198.18.1.1 and 2001:db8:1::1.\n");
        error.ToString().ShouldBeEmpty();
        network.Sent.ShouldBe(["7000/udp 198.18.1.1:7000", "7000/udp [2001:db8:1::1]:7000", "8000/tcp 198.18.1.1:8000", "8000/tcp [2001:db8:1::1]:8000"]);
    }

    [Theory]
    [InlineData("-4", "198.18.1.1")]
    [InlineData("-6", "[2001:db8:1::1]")]
    public async Task Knock_with_a_family_option_knocks_that_family_only(string option, string address)
    {
        DualName();

        (await RunScripted("knock", "dual.test", "7000", option)).ShouldBe(0);

        output.ToString().ShouldBe($"Knocked 1 step on {address.Trim('[', ']')}.\n");
        network.Sent.ShouldBe([$"7000/udp {address}:7000"]);
    }

    [Fact]
    public async Task Knock_check_on_a_dual_stack_name_checks_each_family()
    {
        DualName();

        (await RunScripted("knock", "dual.test", "7000", "--check", "22")).ShouldBe(0);

        output.ToString().ShouldBe("Port 22 on 198.18.1.1 and 2001:db8:1::1 is open (attempt 1).\n");
        network.Sent.Where(s => s.StartsWith("connect", StringComparison.Ordinal)).ShouldBe(["connect 198.18.1.1:22", "connect [2001:db8:1::1]:22"]);
    }

    [Fact]
    public async Task Knock_check_that_opens_one_family_only_exits_3_and_names_the_other()
    {
        DualName();
        network.HiddenAt.Add(DualV6);

        (await RunScripted("knock", "dual.test", "7000", "--check", "22", "--attempts", "2", "--back-off", "0s")).ShouldBe(3);

        error.ToString().ShouldBe("nftknock: port 22 on dual.test opened over IPv4 (198.18.1.1) but not over IPv6 (2001:db8:1::1), knocked 2 times. Check that the door's families: include ipv6 and that IPv6 reaches the server, or knock with -4.\n");
        output.ToString().ShouldBeEmpty();
        network.Sent.Count(s => s == "connect 198.18.1.1:22").ShouldBe(1, "an open family is not knocked or checked again");
    }

    [Fact]
    public async Task Knock_check_that_opens_neither_family_exits_3_with_both_addresses()
    {
        DualName();
        network.Hidden = true;

        (await RunScripted("knock", "dual.test", "7000", "--check", "22", "--attempts", "2", "--back-off", "0s")).ShouldBe(3);

        error.ToString().ShouldBe("nftknock: knocked 2 times on dual.test (198.18.1.1 and 2001:db8:1::1) but port 22 never opened. Check the knock sequence, the family and that the server runs nftknock.\n");
    }

    [Fact]
    public async Task Knock_on_a_machine_without_an_IPv6_route_knocks_IPv4_and_says_so()
    {
        DualName();
        network.UnroutedTo.Add(DualV6);

        (await RunScripted("knock", "dual.test", "7000", "--check", "22")).ShouldBe(0);

        output.ToString().ShouldBe("Port 22 on 198.18.1.1 is open (attempt 1).\n");
        error.ToString().ShouldBe("nftknock: no route to 2001:db8:1::1 (IPv6) from this machine; knocked dual.test over IPv4 only.\n");
    }

    [Fact]
    public async Task Knock_without_a_route_to_either_family_exits_1()
    {
        DualName();
        network.NoRoute = true;

        (await RunScripted("knock", "dual.test", "7000")).ShouldBe(1);

        error.ToString().ShouldBe("nftknock: no route to 198.18.1.1 or 2001:db8:1::1. Check the network connection and the address.\n");
    }

    [Fact]
    public async Task Knock_whose_IPv6_knocks_the_local_firewall_refuses_exits_1_and_names_the_family()
    {
        DualName();
        network.BlockedTo.Add(DualV6);

        (await RunScripted("knock", "dual.test", "7000")).ShouldBe(1);

        error.ToString().ShouldBe("nftknock: this machine's firewall refused to send the knocks to 2001:db8:1::1 (IPv6). Allow outgoing packets to the knock ports.\n");
    }

    [Fact]
    public async Task Connect_by_a_dual_stack_name_still_knocks_and_connects_on_one_address()
    {
        DualName();

        (await RunScripted("connect", "dual.test", "22", "7000", "8000/tcp")).ShouldBe(0);

        // The resolver's first address, for the knocks and the session alike.
        network.Sent.ShouldBe(["7000/udp [2001:db8:1::1]:7000", "8000/tcp [2001:db8:1::1]:8000", "connect [2001:db8:1::1]:22"]);
    }

    [Fact]
    public async Task Profile_supplies_address_and_sequence_for_a_glob_match()
    {
        var path = Profiles("hosts:\n  \"*.lab\":\n    address: 198.18.7.7\n    sequence: [7100/udp, 7200/tcp]\n");
        (await RunScripted("knock", "box.lab", "--profiles", path)).ShouldBe(0);
        network.Sent.ShouldBe(["7100/udp 198.18.7.7:7100", "7200/tcp 198.18.7.7:7200"]);
    }

    [Fact]
    public async Task Ssh_config_prints_a_stanza_with_the_proxy_command()
    {
        (await Run("ssh-config", "bastion.test")).ShouldBe(0);
        output.ToString().ShouldBe("Host bastion.test\n    ProxyCommand nftknock connect %h %p\n");
    }

    [Fact]
    public async Task Ssh_config_carries_steps_port_and_program()
    {
        (await Run("ssh-config", "*.lab", "7000", "8000/tcp", "--sequence-in-command", "--port", "2222", "--program", "/opt/nftknock")).ShouldBe(0);
        output.ToString().ShouldBe("Host *.lab\n    Port 2222\n    ProxyCommand /opt/nftknock connect %h %p 7000/udp 8000/tcp\n");
    }

    [Fact]
    public async Task Ssh_config_takes_the_port_from_the_profile()
    {
        var path = Profiles("hosts:\n  \"*.lab\":\n    sequence: [7000/udp]\n    port: 2200\n");
        (await Run("ssh-config", "box.lab", "--profiles", path)).ShouldBe(0);
        output.ToString().ShouldBe("Host box.lab\n    Port 2200\n    ProxyCommand nftknock connect %h %p\n");
        error.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task Ssh_config_for_a_host_no_profile_matches_says_so_and_still_prints_the_stanza()
    {
        var path = Profiles("hosts:\n  other.lab:\n    sequence: [7000/udp]\n");
        (await Run("ssh-config", "box.lab", "--profiles", path)).ShouldBe(0);
        output.ToString().ShouldBe("Host box.lab\n    ProxyCommand nftknock connect %h %p\n");
        error.ToString().ShouldBe($"nftknock: no profile in {path} matches box.lab, so ssh box.lab would connect without knocking and fail. Add box.lab to it with nftknock import or a hosts: entry before you use the stanza.\n");
    }

    [Fact]
    public async Task Connect_relays_a_session_and_keeps_stdout_clean()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var peer = await listener.AcceptTcpClientAsync();
            var stream = peer.GetStream();
            using var received = new MemoryStream();
            await stream.CopyToAsync(received);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"got {Encoding.ASCII.GetString(received.ToArray())}"));
        });
        var stdout = new MemoryStream();
        var context = Context(new MemoryStream(Encoding.ASCII.GetBytes("hello")), stdout);

        // Real sockets on loopback: the knocks go to closed local UDP ports and are dropped there.
        var code = await NftKnockApp.RunAsync(["connect", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "7000/udp"], context);

        code.ShouldBe(0);
        await serve.WaitAsync(TimeSpan.FromSeconds(10));
        Encoding.ASCII.GetString(stdout.ToArray()).ShouldBe("got hello");
        error.ToString().ShouldBeEmpty();
        output.ToString().ShouldBeEmpty();
    }

    /// <summary>A network that resolves literals and the names it is given, and answers as told, all or per address.</summary>
    private sealed class ScriptedNetwork : IClientNetwork
    {
        public List<string> Sent { get; } = [];

        public Dictionary<string, IPAddress[]> Names { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Every port is hidden: connections time out, as past a door that drops them.</summary>
        public bool Hidden { get; set; }

        /// <summary>Every port answers with a reset: the door opened and nothing listens.</summary>
        public bool Reset { get; set; }

        public bool NoRoute { get; set; }

        public HashSet<IPAddress> HiddenAt { get; } = [];

        public HashSet<IPAddress> UnroutedTo { get; } = [];

        public HashSet<IPAddress> BlockedTo { get; } = [];

        public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancel) =>
            IPAddress.TryParse(host, out var address) ? Task.FromResult<IReadOnlyList<IPAddress>>([address])
            : Names.TryGetValue(host, out var addresses) ? Task.FromResult<IReadOnlyList<IPAddress>>(addresses)
            : throw new HostNotFoundException(host, "Name or service not known");

        public ValueTask<KnockSend> KnockAsync(IPEndPoint target, Protocol protocol, CancellationToken cancel)
        {
            Sent.Add($"{target.Port}/{protocol.Name()} {target}");
            return ValueTask.FromResult(Send(target));
        }

        public ValueTask<KnockSend> KnockAsync(IPEndPoint target, ReadOnlyMemory<byte> payload, CancellationToken cancel)
        {
            Sent.Add($"{target.Port}/udp {target} 0x{Convert.ToHexStringLower(payload.Span)}");
            return ValueTask.FromResult(Send(target));
        }

        public Task<ConnectResult> ConnectAsync(IPEndPoint target, TimeSpan timeout, CancellationToken cancel)
        {
            Sent.Add($"connect {target}");
            return Task.FromResult(
                Reset ? ConnectResult.Failed(ConnectFailure.Refused)
                : Hidden || HiddenAt.Contains(target.Address) ? ConnectResult.Failed(ConnectFailure.TimedOut)
                : new ConnectResult(new NullConnection(), ConnectFailure.None));
        }

        private KnockSend Send(IPEndPoint target) =>
            NoRoute || UnroutedTo.Contains(target.Address) ? KnockSend.NoRoute
            : BlockedTo.Contains(target.Address) ? KnockSend.Blocked
            : KnockSend.Sent;
    }

    private sealed class NullConnection : Connection
    {
        public override Stream Stream => Stream.Null;

        public override void ShutdownSend()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
