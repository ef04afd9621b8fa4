namespace NftKnock.Cli.Tests;

/// <summary>
/// A command line that names a command is parsed by a root holding only that command; help, errors
/// and exit codes must read exactly as with every command in the tree.
/// </summary>
public sealed class OneCommandTreeTests
{
    public static TheoryData<string> Lines()
    {
        var lines = new TheoryData<string>();
        foreach (var (name, _) in NftKnockApp.Commands)
        {
            lines.Add($"{name} --help");
            lines.Add($"{name} -h");
            lines.Add($"{name} --no-such-option");
        }

        lines.Add("knock");
        lines.Add("connect bastion");
        lines.Add("knock 198.18.1.1 7000/udp --attempts");
        lines.Add("status --json extra");
        lines.Add("completion fish");
        lines.Add("knock --version");
        return lines;
    }

    [Fact]
    public void The_table_names_every_command_the_root_has_in_help_order()
    {
        var root = NftKnockApp.Build(Context(new StringWriter(), new StringWriter()));

        NftKnockApp.Commands.Select(c => c.Name).ShouldBe(root.Subcommands.Select(c => c.Name));
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public async Task One_command_tree_reads_the_line_as_the_full_tree_does(string line)
    {
        var args = line.Split(' ');
        var (oneOut, oneError) = (new StringWriter(), new StringWriter());
        var (fullOut, fullError) = (new StringWriter(), new StringWriter());

        var one = await NftKnockApp.RunAsync(args, Context(oneOut, oneError));
        var fullContext = Context(fullOut, fullError);
        var full = await NftKnockApp.ParseAndRunAsync(NftKnockApp.Build(fullContext), args, fullContext, CancellationToken.None);

        one.ShouldBe(full);
        oneOut.ToString().ShouldBe(fullOut.ToString());
        oneError.ToString().ShouldBe(fullError.ToString());
        if (!NftKnockApp.Build(fullContext).Subcommands.Single(c => c.Name == args[0]).Hidden)
        {
            // A hidden command prints no help in either tree; every other line says something.
            (oneOut.ToString() + oneError.ToString()).ShouldNotBeEmpty();
        }
    }

    private static CliContext Context(StringWriter output, StringWriter error) => new()
    {
        Out = output,
        Error = error,
        Environment = _ => null,
        IsPrivileged = () => false,
    };
}
