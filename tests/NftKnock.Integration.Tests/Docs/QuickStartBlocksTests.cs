namespace NftKnock.Integration.Tests.Docs;

/// <summary>How the quick-start test reads a document: only marked blocks, in order, one command per logical line.</summary>
public sealed class QuickStartBlocksTests
{
    private const string Document = """
        # Title

        ```sh
        sudo rm -rf /   # an unmarked block is never run
        ```

        1. First:

           ```sh quickstart
           # a comment line is skipped

           sudo nftknock init --rotating   # a trailing comment stays
           nftknock import \
               -
           ```

        ```sh quickstart
        nftknock knock host --check
        ```
        """;

    [Fact]
    public void Only_marked_blocks_are_read_in_order_with_continuations_joined_and_roles_from_sudo()
    {
        var commands = QuickStartBlocks.Read("doc.md", Document.ReplaceLineEndings("\n"));

        commands.Select(c => (c.Line, c.Text, c.OnServer)).ShouldBe([
            (12, "sudo nftknock init --rotating   # a trailing comment stays", true),
            (13, "nftknock import \\\n    -", false),
            (18, "nftknock knock host --check", false),
        ]);
    }
}
