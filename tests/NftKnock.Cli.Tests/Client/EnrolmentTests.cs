using NftKnock.Client.Profiles;
using NftKnock.Core.Config;
using NftKnock.Core.Links;
using NftKnock.Core.Model;
using NftKnock.Core.Rotating;
using NftKnock.Server.Nftables;

namespace NftKnock.Cli.Tests.Client;

/// <summary>client add, list, revoke and import in-process, in a temporary folder, on the in-memory nft.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EnrolmentTests : IDisposable
{
    private const string Config = """
        # Bastion. Comments and layout must survive enrolment.
        doors:
          ssh:
            protect: [22/tcp]      # sshd
            rotating:
              clients:
                - {name: alice, secret-file: alice.secret}
              knocks: 3
          web:
            protect: [8443/tcp]
            sequence: [7000/udp, 8000/tcp, 9000/udp]

        """;

    private readonly string dir = Directory.CreateTempSubdirectory("nftknock-enrol-").FullName;
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();
    private readonly FakeNftables nft = new();
    private string? input;

    public EnrolmentTests()
    {
        File.WriteAllText(ConfigPath, Config);
        WriteSecret(Path.Join(dir, "alice.secret"));
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string ConfigPath => Path.Join(dir, "nftknock.yaml");

    private string Profiles => Path.Join(dir, "home", "client.yaml");

    private static void WriteSecret(string path)
    {
        File.WriteAllText(path, RotatingSecret.Format(new byte[32].Select((_, i) => (byte)i).ToArray()));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private Task<int> Run(params string[] args) => NftKnockApp.RunAsync(args, new CliContext
    {
        HostNames = () => ("bastion", "bastion.example.org"),
        Out = output,
        Error = error,
        Input = input is null ? null : new MemoryStream(System.Text.Encoding.UTF8.GetBytes(input)),
        Nftables = () => nft,
        IsPrivileged = () => true,
        Environment = name => name switch
        {
            "NFTKNOCK_RUN_DIR" => Path.Join(dir, "run"),
            "NFTKNOCK_STATE_DIR" => Path.Join(dir, "state"),
            _ => null,
        },
    });

    private string LinkLine() => output.ToString().Split('\n').Single(l => l.StartsWith("nftknock://", StringComparison.Ordinal));

    [Fact]
    public async Task Add_writes_an_owner_only_secret_adds_one_line_and_prints_the_profile_and_link()
    {
        (await Run("client", "add", "carol", "-c", ConfigPath, "--host", "bastion.example.org")).ShouldBe(0);

        var secretPath = Path.Join(dir, "clients", "carol.secret");
        File.GetUnixFileMode(secretPath).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        RotatingSecret.TryParse(File.ReadAllText(secretPath), out var secret).ShouldBe(RotatingSecret.Problem.None);
        var lines = Config.Split('\n').ToList();
        lines.Insert(7, $"        - {{name: carol, secret-file: {secretPath}}}");
        File.ReadAllText(ConfigPath).ShouldBe(string.Join('\n', lines));

        ClientLink.TryParse(LinkLine(), out var link, out _).ShouldBeTrue();
        link!.Secret.ShouldBe(secret);
        link.Host.ShouldBe("bastion.example.org");
        link.Port.ShouldBe(22);
        link.Client.ShouldBe("carol");
        output.ToString().ShouldContain(LinkProfile.File(link));
        error.ToString().ShouldBe($"nftknock: added client 'carol' to door ssh in {ConfigPath}; its secret is {secretPath}. Run nftknock apply to let it knock.\n");
    }

    [Fact]
    public async Task Add_without_host_links_to_the_fully_qualified_name_and_says_so_after_writing()
    {
        (await Run("client", "add", "carol", "-c", ConfigPath)).ShouldBe(0);

        ClientLink.TryParse(LinkLine(), out var link, out _).ShouldBeTrue();
        link!.Host.ShouldBe("bastion.example.org");
        error.ToString().ShouldStartWith("nftknock: the client profile names this server bastion.example.org, its fully qualified name. If clients reach it by another name, pass --host NAME.\n");
    }

    [Fact]
    public async Task Add_without_host_and_with_bad_input_prints_one_line()
    {
        (await Run("client", "add", "alice", "-c", ConfigPath)).ShouldBe(2);

        error.ToString().TrimEnd('\n').Split('\n').ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Add_then_import_writes_an_owner_only_profile_whose_knocks_are_the_servers()
    {
        (await Run("client", "add", "carol", "-c", ConfigPath, "--host", "bastion.example.org:2222")).ShouldBe(0);
        var link = LinkLine();
        output.GetStringBuilder().Clear();
        error.GetStringBuilder().Clear();

        input = link + "\n";
        (await Run("import", "-", "--profiles", Profiles)).ShouldBe(0);

        error.ToString().ShouldBe($"nftknock: wrote the profile of bastion.example.org in {Profiles}. Add this to ~/.ssh/config:\n");
        output.ToString().ShouldBe("Host bastion.example.org\n    Port 2222\n    ProxyCommand nftknock connect %h %p\n");
        File.GetUnixFileMode(Profiles).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var profile = ProfileReader.Read(File.ReadAllText(Profiles)).Profiles!.Find("bastion.example.org")!;
        profile.Port.ShouldBe(2222);

        var server = ConfigReader.Read(File.ReadAllText(ConfigPath), SecretFiles.Near(ConfigPath)).Config!.Doors[0];
        var carol = server.Rotating!.Clients.Single(c => c.Name == "carol");
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var expected = RotatingDerivation.Knocks(carol.Secret.Span, server.Rotating.Spec("ssh"), RotatingDerivation.Window(now, server.Rotating.Period));
        profile.Sequence!.ShouldBeOfType<NftKnock.Client.Rotating.RotatingSource>();
        ClientLink.TryParse(link, out var parsed, out _).ShouldBeTrue();
        RotatingDerivation.Knocks(parsed!.Secret, parsed.Spec, RotatingDerivation.Window(now, parsed.Spec.Period)).ShouldBe(expected);
    }

    [Fact]
    public async Task Import_on_the_command_line_warns_about_shell_history()
    {
        var link = ClientLink.Rotating("h.example", 22, RotatingSpec.Default("ssh"), new byte[32], "x", null).Format();

        (await Run("import", link, "--profiles", Profiles)).ShouldBe(0);

        error.ToString().ShouldStartWith("nftknock: warning: the link was given on the command line, so your shell history now holds its secret. Next time run nftknock import - and paste the link.\n");
    }

    [Fact]
    public async Task Import_keeps_other_hosts_and_refuses_a_different_secret_without_replace()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Profiles)!);
        const string mine = "# my hosts\nhosts:\n  other.example:\n    sequence: [7000/udp]   # keep\n";
        File.WriteAllText(Profiles, mine);
        var first = ClientLink.Rotating("h.example", 22, RotatingSpec.Default("ssh"), new byte[32], "x", null);
        var second = first with { Secret = Enumerable.Repeat((byte)1, 32).ToArray() };

        input = first.Format();
        (await Run("import", "-", "--profiles", Profiles)).ShouldBe(0);
        File.ReadAllText(Profiles).ShouldBe(mine + LinkProfile.Entry(first));

        input = second.Format();
        (await Run("import", "-", "--profiles", Profiles)).ShouldBe(2);
        error.ToString().ShouldEndWith($"nftknock: {Profiles} already has a different secret for h.example (door ssh). If the server's operator gave you this new link, run the import again with --replace.\n");
        File.ReadAllText(Profiles).ShouldBe(mine + LinkProfile.Entry(first));

        input = second.Format();
        (await Run("import", "-", "--replace", "--profiles", Profiles)).ShouldBe(0);
        File.ReadAllText(Profiles).ShouldBe(mine + LinkProfile.Entry(second));
    }

    [Fact]
    public async Task A_link_of_a_newer_version_is_refused()
    {
        input = "nftknock://h.example/ssh?v=2&s=x\n";
        (await Run("import", "-", "--profiles", Profiles)).ShouldBe(2);

        error.ToString().ShouldBe("nftknock: This link has version 2, newer than this nftknock reads (1). Update nftknock, then import the link again.\n");
        File.Exists(Profiles).ShouldBeFalse();
    }

    [Theory]
    [InlineData("alice", "nftknock: the client 'alice' already exists (door ssh). Pick another name, or revoke it first with nftknock client revoke alice.")]
    [InlineData("Bob", "nftknock: The client name 'Bob' is invalid. Use a lowercase letter followed by up to 31 lowercase letters, digits, '.', '-' or '_'.")]
    public async Task Bad_names_exit_2_with_one_line_and_write_nothing(string name, string message)
    {
        (await Run("client", "add", name, "-c", ConfigPath, "--host", "h.example")).ShouldBe(2);

        error.ToString().ShouldBe(message + "\n");
        output.ToString().ShouldBeEmpty();
        File.ReadAllText(ConfigPath).ShouldBe(Config);
        Directory.Exists(Path.Join(dir, "clients")).ShouldBeFalse();
    }

    [Fact]
    public async Task An_unknown_door_exits_2_and_writes_nothing()
    {
        (await Run("client", "add", "carol", "--door", "vpn", "-c", ConfigPath, "--host", "h.example")).ShouldBe(2);

        error.ToString().ShouldBe("nftknock: the config has no door 'vpn'. Its doors: ssh, web. Name one with --door.\n");
        File.ReadAllText(ConfigPath).ShouldBe(Config);
    }

    [RootFact]
    public async Task A_secret_directory_not_owned_by_root_exits_2_and_writes_nothing()
    {
        var clients = Directory.CreateDirectory(Path.Join(dir, "clients")).FullName;
        Chown(clients, 65534);

        (await Run("client", "add", "carol", "-c", ConfigPath, "--host", "h.example")).ShouldBe(2);

        error.ToString().ShouldBe($"nftknock: cannot keep client secrets in {clients}: it is owned by uid 65534, not by root. Make it root's and private (chown root: {clients}; chmod 700 {clients}), or name another with --secret-dir.\n");
        Directory.GetFiles(clients).ShouldBeEmpty();
        File.ReadAllText(ConfigPath).ShouldBe(Config);
    }

    [Fact]
    public async Task Add_on_a_static_door_explains_the_shared_sequence_and_writes_nothing()
    {
        (await Run("client", "add", "carol", "--door", "web", "-c", ConfigPath, "--host", "h.example")).ShouldBe(0);

        error.ToString().ShouldStartWith("nftknock: door web has a static sequence: one sequence shared by everyone who knows it");
        LinkLine().ShouldBe("nftknock://h.example:8443/web?v=1&q=7000/udp,8000/tcp,9000/udp#h.example%20%28web%29");
        File.ReadAllText(ConfigPath).ShouldBe(Config);
    }

    [Fact]
    public async Task Add_json_is_one_document_with_the_link_and_the_profile()
    {
        (await Run("client", "add", "carol", "-c", ConfigPath, "--host", "h.example", "--json")).ShouldBe(0);

        using var doc = System.Text.Json.JsonDocument.Parse(output.ToString());
        doc.RootElement.GetProperty("client").GetString().ShouldBe("carol");
        doc.RootElement.GetProperty("door").GetString().ShouldBe("ssh");
        doc.RootElement.GetProperty("applied").GetBoolean().ShouldBeFalse();
        ClientLink.TryParse(doc.RootElement.GetProperty("link").GetString()!, out var link, out _).ShouldBeTrue();
        doc.RootElement.GetProperty("profile").GetString().ShouldBe(LinkProfile.File(link!));
    }

    [Fact]
    public async Task Add_and_revoke_with_apply_and_json_keep_stdout_one_document_each()
    {
        (await Run("client", "add", "carol", "-c", ConfigPath, "--host", "h.example", "--apply", "--json")).ShouldBe(0, error.ToString());
        using (var added = System.Text.Json.JsonDocument.Parse(output.ToString()))
        {
            added.RootElement.GetProperty("applied").GetBoolean().ShouldBeTrue();
        }

        error.ToString().ShouldContain(" table inet nftknock ", customMessage: "what apply did goes to stderr");
        output.GetStringBuilder().Clear();

        (await Run("client", "revoke", "carol", "-c", ConfigPath, "--apply", "--json")).ShouldBe(0, error.ToString());
        using var revoked = System.Text.Json.JsonDocument.Parse(output.ToString());
        revoked.RootElement.GetProperty("applied").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Add_apply_loads_the_new_client_in_the_same_step()
    {
        (await Run("client", "add", "carol", "-c", ConfigPath, "--host", "h.example", "--apply")).ShouldBe(0);

        nft.Scripts.ShouldNotBeEmpty();
        nft.Scripts[^1].Script.ShouldContain($"ssh_grants_{NftKnock.Core.Ruleset.Names.ClientId("carol")}");
    }

    [Fact]
    public async Task Add_and_revoke_with_apply_and_json_print_nothing_but_the_json_document()
    {
        (await Run("client", "add", "carol", "-c", ConfigPath, "--host", "h.example", "--apply", "--json")).ShouldBe(0);

        using (var added = System.Text.Json.JsonDocument.Parse(output.ToString()))
        {
            added.RootElement.GetProperty("applied").GetBoolean().ShouldBeTrue();
        }

        error.ToString().ShouldContain("table inet nftknock");
        output.GetStringBuilder().Clear();

        (await Run("client", "revoke", "carol", "-c", ConfigPath, "--apply", "--json")).ShouldBe(0);

        using var revoked = System.Text.Json.JsonDocument.Parse(output.ToString());
        revoked.RootElement.GetProperty("applied").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Revoke_removes_the_clients_line_and_moves_its_secret_aside()
    {
        (await Run("client", "add", "carol", "-c", ConfigPath, "--host", "h.example")).ShouldBe(0);
        var secretPath = Path.Join(dir, "clients", "carol.secret");

        (await Run("client", "revoke", "carol", "-c", ConfigPath)).ShouldBe(0);

        File.ReadAllText(ConfigPath).ShouldBe(Config);
        File.Exists(secretPath).ShouldBeFalse();
        File.Exists(secretPath + ".revoked").ShouldBeTrue();
        (await Run("client", "revoke", "carol", "-c", ConfigPath)).ShouldBe(2);
        error.ToString().ShouldEndWith($"nftknock: no rotating door in {ConfigPath} has a client 'carol'. Its clients: alice (nftknock client list).\n");
    }

    [Fact]
    public async Task List_shows_each_client_with_its_door()
    {
        (await Run("client", "add", "carol", "-c", ConfigPath, "--host", "h.example")).ShouldBe(0);
        output.GetStringBuilder().Clear();

        (await Run("client", "list", "-c", ConfigPath, "--json")).ShouldBe(0);

        using var doc = System.Text.Json.JsonDocument.Parse(output.ToString());
        var clients = doc.RootElement.GetProperty("clients").EnumerateArray().ToList();
        clients.Select(c => c.GetProperty("name").GetString()).ShouldBe(["alice", "carol"]);
        clients.ShouldAllBe(c => c.GetProperty("door").GetString() == "ssh");
    }

    private static void Chown(string path, int uid)
    {
        using var process = System.Diagnostics.Process.Start("chown", [uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path])!;
        process.WaitForExit();
        process.ExitCode.ShouldBe(0);
    }
}
