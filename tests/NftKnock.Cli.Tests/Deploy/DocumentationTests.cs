using System.CommandLine;
using System.Text.Json;
using NftKnock.Cli.Commands;
using NftKnock.Cli.Deployment;

namespace NftKnock.Cli.Tests.Deploy;

/// <summary>The man page and the completions cover every command the program has.</summary>
public sealed class DocumentationTests
{
    private static readonly RootCommand Root = NftKnockApp.Build(new CliContext { Out = TextWriter.Null, Error = TextWriter.Null });

    public static TheoryData<string> Commands() => [.. Completion.Visible(Root).Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Commands))]
    public void The_man_page_has_a_section_for_every_command(string command) =>
        File.ReadAllText(Repo.Path("packaging", "man", "nftknock.1")).ShouldContain($"\n.SS {command}\n");

    [Theory]
    [MemberData(nameof(Commands))]
    public void Both_completions_offer_every_command_and_its_options(string command)
    {
        var bash = Completion.Bash(Root);
        var zsh = Completion.Zsh(Root);
        var options = Root.Subcommands.Single(c => c.Name == command).Options.Where(o => !o.Hidden).Select(o => o.Name);

        var prefix = $"\t\t{command}) COMPREPLY=($(compgen -W \"";
        var line = bash.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal));
        var words = line[prefix.Length..line.IndexOf('"', prefix.Length)].Split(' ');
        zsh.ShouldContain($"\t\t'{command}:");
        foreach (var option in options)
        {
            words.ShouldContain(option);
            zsh.ShouldContain($"'{option}[");
        }
    }

    [Fact]
    public void Completions_offer_the_values_of_from_the_loaded_tables_and_the_profiles_hosts()
    {
        var bash = Completion.Bash(Root);
        var zsh = Completion.Zsh(Root);

        bash.ShouldContain("\t\t--from) COMPREPLY=($(compgen -W \"auto journal nflog\" -- \"$cur\")); return ;;\n");
        bash.ShouldContain("\t\t--table|-t) COMPREPLY=($(compgen -W \"$(nft list tables inet 2>/dev/null | sed -n 's/^table inet //p')\" -- \"$cur\")); return ;;\n");
        bash.Split('\n').Single(l => l.StartsWith("\t\tknock) ", StringComparison.Ordinal)).ShouldContain("nftknock/client.yaml");
        zsh.ShouldContain("'--from[");
        zsh.ShouldContain(":value:(auto journal nflog)'");
        zsh.ShouldContain("'1:host:_nftknock_hosts'");
    }

    [Fact]
    public void Hidden_commands_stay_out_of_completions() =>
        Completion.Bash(Root).ShouldNotContain(RollbackWatchCommand.Name);

    [Fact]
    public async Task Check_json_reports_diagnostics_on_stdout_and_nothing_on_stderr()
    {
        using var cli = new CliHarness();
        var path = cli.Write("bad.yaml", "doors:\n  ssh:\n    protect: [99999/tcp]\n    sequence: [7000/udp, 9000/tcp, 8000/udp]\n");

        (await cli.RunAsync("check", "-c", path, "--json")).ShouldBe(ExitCodes.Usage);

        cli.Error.ToString().ShouldBeEmpty();
        using var doc = JsonDocument.Parse(cli.Out.ToString());
        doc.RootElement.GetProperty("valid").GetBoolean().ShouldBeFalse();
        var diagnostic = doc.RootElement.GetProperty("diagnostics")[0];
        diagnostic.GetProperty("code").GetString().ShouldBe("NK041");
        diagnostic.GetProperty("line").GetInt32().ShouldBe(3);
    }

    [Fact]
    public async Task Check_json_of_a_valid_config_includes_the_dry_run()
    {
        using var cli = new CliHarness();
        var path = cli.Write("good.yaml", "doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 9000/tcp, 8000/udp]\n");

        (await cli.RunAsync("check", "-c", path, "--json")).ShouldBe(ExitCodes.Ok);

        cli.Out.ToString().ShouldBe("""{"path":"PATH","valid":true,"doors":1,"errors":0,"warnings":0,"diagnostics":[],"dryRun":"accepted"}""".Replace("PATH", path, StringComparison.Ordinal) + Environment.NewLine);
    }
}
