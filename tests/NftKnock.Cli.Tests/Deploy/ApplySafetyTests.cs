using NftKnock.Server;
using System.Net;
using NftKnock.Server.Safety;

namespace NftKnock.Cli.Tests.Deploy;

public sealed class ApplySafetyTests : IDisposable
{
    private const string Config = """
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [7000/udp, 9000/tcp, 8000/udp]
        """;

    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task Apply_audit_over_ssh_hides_nothing_status_and_doctor_say_so_and_leaving_it_is_guarded()
    {
        var path = cli.Write("nftknock.yaml", Config);
        cli.Set("SSH_CONNECTION", "198.18.1.2 50022 198.18.1.1 22");

        (await cli.RunAsync("apply", "--audit", "-c", path)).ShouldBe(ExitCodes.Ok, cli.Error.ToString());
        cli.Out.ToString().ShouldEndWith(Texts.AppliedAudit + Environment.NewLine);
        cli.Out.GetStringBuilder().Clear();

        (await cli.RunAsync("status")).ShouldBe(ExitCodes.Ok);
        cli.Out.ToString().Split(Environment.NewLine)[1].ShouldBe(Texts.StatusAudit);
        cli.Out.ToString().ShouldContain("blocked 0, audited 0");
        cli.Out.GetStringBuilder().Clear();

        (await cli.RunAsync("doctor", "-c", path)).ShouldBe(ExitCodes.Ok);
        cli.Out.ToString().Split(Environment.NewLine).Single(l => l.Contains(" audit mode ", StringComparison.Ordinal))
            .ShouldStartWith("WARN  audit mode       AUDIT MODE: table inet nftknock lets every new connection to its protected ports through; 0 would have been refused");

        (await cli.RunAsync("apply", "-c", path)).ShouldBe(ExitCodes.Usage, "enforcing would hide the session's port: the lock-out guard refuses");
        cli.Nft.Applied.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Apply_over_ssh_that_would_hide_the_sessions_port_refuses_with_exit_2_and_changes_nothing()
    {
        var path = cli.Write("nftknock.yaml", Config);
        cli.Set("SSH_CONNECTION", "198.18.1.2 50022 198.18.1.1 22");

        var code = await cli.RunAsync("apply", "-c", path);

        code.ShouldBe(ExitCodes.Usage);
        cli.Nft.Applied.ShouldBeEmpty();
        cli.Out.ToString().ShouldBeEmpty();
        var session = new SshSession(IPAddress.Parse("198.18.1.2"), 22);
        cli.Error.ToString().ShouldEndWith(Texts.Lockout(new Lockout(session, "ssh"), "nftknock") + Environment.NewLine);
        cli.Error.ToString().ShouldContain(
            "nftknock: refusing to apply table inet nftknock: you are logged in over SSH from 198.18.1.2 to port 22, and door ssh would hide port 22/tcp from 198.18.1.2: "
            + "the address is not in doors.ssh.allow and holds no grant.");
    }

    [Theory]
    [InlineData("--force")]
    [InlineData("allow")]
    [InlineData("other-port")]
    public async Task Apply_over_ssh_goes_ahead_when_forced_allowed_or_on_another_port(string what)
    {
        var path = cli.Write("nftknock.yaml", what == "allow" ? Config + "\n    allow: [198.18.1.0/24]\n" : Config);
        cli.Set("SSH_CONNECTION", $"198.18.1.2 50022 198.18.1.1 {(what == "other-port" ? 2222 : 22)}");

        var code = await cli.RunAsync(what == "--force" ? ["apply", "-c", path, "--force"] : ["apply", "-c", path]);

        code.ShouldBe(ExitCodes.Ok, cli.Error.ToString());
        cli.Nft.Applied.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Confirm_answered_yes_keeps_the_new_ruleset()
    {
        var path = cli.Write("nftknock.yaml", Config);
        cli.Set("SSH_CONNECTION", "198.18.1.2 50022 198.18.1.1 22");
        cli.Input = "yes\n";

        var code = await cli.RunAsync("apply", "-c", path, "--confirm", "30s");

        code.ShouldBe(ExitCodes.Ok, cli.Error.ToString());
        cli.Nft.Applied.Count.ShouldBe(1);
        cli.Out.ToString().ShouldEndWith(Texts.Kept("nftknock") + Environment.NewLine);
    }

    [Fact]
    public async Task Confirm_without_an_answer_restores_the_previous_table_and_exits_1()
    {
        var path = cli.Write("nftknock.yaml", Config);
        cli.Nft.TextTables["nftknock"] = "table inet nftknock {\n\tcounter ssh_knocks {\n\t\tpackets 3 bytes 120\n\t}\n}\n";

        var code = await cli.RunAsync("apply", "-c", path, "--confirm", "1s");

        code.ShouldBe(ExitCodes.Failure);
        cli.Nft.Applied.Count.ShouldBe(2);
        cli.Nft.Applied[1].ShouldEndWith("delete table inet nftknock\n" + cli.Nft.TextTables["nftknock"]);
        cli.Error.ToString().ShouldEndWith(
            Texts.Restored("nftknock", "restored the table as it was before (no confirmation before the deadline)") + Environment.NewLine);
    }

    [Fact]
    public async Task Answering_no_restores_at_once()
    {
        var path = cli.Write("nftknock.yaml", Config);
        cli.Input = "maybe\nno\n";

        var code = await cli.RunAsync("apply", "-c", path, "--confirm", "10m").WaitAsync(TimeSpan.FromSeconds(10));

        code.ShouldBe(ExitCodes.Failure);
        cli.Error.ToString().ShouldContain(ServerTexts.AskAgain);
        cli.Nft.Applied[^1].ShouldEndWith("table inet nftknock {}\ndelete table inet nftknock\n");
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("2h")]
    [InlineData("soon")]
    [InlineData("999999999h")]
    public async Task Confirm_windows_outside_1s_to_1h_are_usage_errors(string window)
    {
        var path = cli.Write("nftknock.yaml", Config);
        (await cli.RunAsync("apply", "-c", path, "--confirm", window)).ShouldBe(ExitCodes.Usage);
        cli.Nft.Applied.ShouldBeEmpty();
    }

    [Fact]
    public async Task Confirm_with_nothing_pending_says_so_and_exits_1()
    {
        (await cli.RunAsync("confirm", "-t", "nftknock")).ShouldBe(ExitCodes.Failure);
        cli.Error.ToString().ShouldBe(Texts.NothingPending("nftknock", null) + Environment.NewLine);
    }
}
