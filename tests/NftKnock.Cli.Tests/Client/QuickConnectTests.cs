using System.CommandLine;
using NftKnock.Cli.Commands;

namespace NftKnock.Cli.Tests.Client;

/// <summary>
/// The cold-start reader of connect command lines must agree with the full parser on every line it
/// takes, and leave everything else (help, errors, rare forms) to the full parser.
/// </summary>
public sealed class QuickConnectTests
{
    public static TheoryData<string> Taken => new()
    {
        "connect bastion 22 7000/udp 8000/tcp 9000/udp",
        "connect 198.18.1.1 22",
        "connect 2001:db8::1 2222 7000/udp",
        "connect bastion 22 7000/udp -4",
        "connect -6 bastion 22 7000/udp",
        "connect bastion 22 -v 7000/udp 8000/udp",
        "connect bastion 22 --verbose 7000/udp",
        "connect bastion 22 7000/udp --gap 25ms --connect-timeout 400ms --attempts 8 --back-off 50ms",
        "connect --profiles /etc/nftknock/client.yaml bastion 22",
        "connect bastion ssh 7000/udp",
        "connect bastion 22 seventy/udp",
        "connect bastion 22 7000/udp --attempts 0",
        "connect bastion 22 -4 -6 7000/udp",
    };

    public static TheoryData<string> Declined => new()
    {
        "connect",
        "connect bastion",
        "connect --help",
        "connect bastion 22 -h",
        "connect bastion 22 -?",
        "connect /? 22",
        "connect bastion 22 --gap=25ms",
        "connect bastion 22 --gap:25ms",
        "connect bastion 22 --gap",
        "connect bastion 22 --gap 1ms --gap 2ms",
        "connect bastion 22 -v true",
        "connect bastion 22 -4 false",
        "connect bastion 22 -v -v",
        "connect bastion 22 -46",
        "connect bastion 22 --unknown",
        "connect bastion 22 -- 7000/udp",
        "connect @args.rsp",
        "knock bastion 7000/udp",
        "connectx bastion 22",
        "--version",
    };

    [Theory]
    [MemberData(nameof(Taken))]
    public void Takes_plain_lines_and_reads_them_as_the_full_parser_does(string line)
    {
        var args = line.Split(' ');
        var quick = QuickConnect.TryParse(args);
        quick.ShouldNotBeNull();

        var syntax = new ConnectSyntax();
        var parse = new RootCommand { syntax.Command }.Parse(args);
        parse.Errors.ShouldBeEmpty();
        var full = syntax.Read(parse);
        quick.Steps.ShouldBe(full.Steps);
        (quick with { Steps = [] }).ShouldBe(full with { Steps = [] });
    }

    [Theory]
    [MemberData(nameof(Declined))]
    public void Leaves_help_errors_and_rare_forms_to_the_full_parser(string line) =>
        QuickConnect.TryParse(line.Split(' ')).ShouldBeNull();

    public static TheoryData<string> KnockTaken => new()
    {
        "knock bastion 7000/udp 8000/tcp 9000/udp",
        "knock 198.18.1.1 7000/udp 8000/udp 9000/udp --check 22",
        "knock bastion --check",
        "knock bastion --check 22",
        "knock bastion --check ssh",
        "knock bastion --check 7000/udp",
        "knock bastion --check -4",
        "knock bastion --check -v 7000/udp",
        "knock bastion 7000/udp --check 22 -6 --attempts 3",
        "knock -4 bastion --profiles /tmp/client.yaml --check",
        "knock bastion --gap 25ms 7000/udp --check 22 --connect-timeout 400ms --back-off 50ms",
        "knock bastion --check 99999",
    };

    public static TheoryData<string> KnockDeclined => new()
    {
        "knock",
        "knock --help",
        "knock bastion --help",
        "knock bastion --check 22 --check 23",
        "knock bastion --check @file",
        "knock bastion --check /?",
        "knock bastion --check=22",
        "knock bastion -v true",
        "knock bastion --unknown",
        "knock @args.rsp",
        "knock --version",
    };

    [Theory]
    [MemberData(nameof(KnockTaken))]
    public void Takes_plain_knock_lines_and_reads_them_as_the_full_parser_does(string line)
    {
        var args = line.Split(' ');
        var quick = QuickConnect.TryParseKnock(args);
        quick.ShouldNotBeNull();

        var syntax = new KnockSyntax();
        var parse = new RootCommand { syntax.Command }.Parse(args);
        parse.Errors.ShouldBeEmpty();
        var full = syntax.Read(parse);
        quick.Steps.ShouldBe(full.Steps);
        (quick with { Steps = [] }).ShouldBe(full with { Steps = [] });
    }

    [Theory]
    [MemberData(nameof(KnockDeclined))]
    public void Leaves_other_knock_lines_to_the_full_parser(string line) =>
        QuickConnect.TryParseKnock(line.Split(' ')).ShouldBeNull();

    [Theory]
    [InlineData("--gap", "5x")]
    [InlineData("--attempts", "21")]
    [InlineData("--connect-timeout", "10ms")]
    [InlineData("--gap", "999999999h")]
    [InlineData("--connect-timeout", "999999999h")]
    [InlineData("--back-off", "99999999999999999999ms")]
    public async Task A_quick_line_and_its_full_parser_twin_fail_alike(string option, string value)
    {
        var quick = await Run("connect", "198.18.1.1", "22", "7000/udp", option, value);
        var full = await Run("connect", "198.18.1.1", "22", "7000/udp", $"{option}={value}");
        quick.ShouldBe(full);
        quick.Exit.ShouldBe(2);
    }

    private static async Task<(int Exit, string Error)> Run(params string[] args)
    {
        var error = new StringWriter();
        var context = new CliContext { Out = new StringWriter(), Error = error, Environment = _ => null };
        var exit = await NftKnockApp.RunAsync(args, context);
        return (exit, error.ToString());
    }
}
