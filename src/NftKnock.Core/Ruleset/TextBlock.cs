using System.Text;

namespace NftKnock.Core.Ruleset;

/// <summary>Indented nft text, one statement a line.</summary>
internal sealed class TextBlock
{
    private readonly StringBuilder text = new();
    private int depth;

    public TextBlock Line(string line = "")
    {
        if (line.Length > 0)
        {
            text.Append('\t', depth).Append(line);
        }

        text.Append('\n');
        return this;
    }

    public TextBlock Comment(string comment) => Line($"# {NftText.Comment(comment)}");

    public TextBlock Open(string line)
    {
        Line($"{line} {{");
        depth++;
        return this;
    }

    public TextBlock Close()
    {
        depth--;
        return Line("}");
    }

    public override string ToString() => text.ToString();
}
