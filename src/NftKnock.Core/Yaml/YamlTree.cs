using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace NftKnock.Core.Yaml;

/// <summary>
/// Reads YAML into a small positioned tree straight from the event parser: no reflection and
/// no representation model, because the client's cold start pays for every millisecond here.
/// </summary>
public static class YamlTree
{
    /// <summary>
    /// The deepest nesting read. nftknock's files need four levels; the cap stops a hostile
    /// document nested a hundred thousand deep before the recursive read overflows the stack.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>Parses one document; an empty document gives null.</summary>
    /// <exception cref="YamlSyntaxException">The text is not well-formed YAML.</exception>
    public static YamlNode? Parse(string text)
    {
        // YamlDotNet takes a NUL for the end of a word and reads on, so "ssh\0junk" would pass as "ssh".
        var nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            var before = text.AsSpan(0, nul);
            var line = before.Count('\n') + 1;
            throw new YamlSyntaxException("the file holds a NUL byte; is it a binary file?", line, nul - before.LastIndexOf('\n'));
        }

        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = parser.Accept<DocumentEnd>(out _) ? null : ReadNode(parser, 1);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                var next = parser.Current!;
                throw new YamlSyntaxException("only one YAML document is allowed", (int)next.Start.Line, (int)next.Start.Column);
            }

            return root;
        }
        catch (YamlException e)
        {
            throw new YamlSyntaxException(Clean(e.Message), (int)e.Start.Line, (int)e.Start.Column);
        }
    }

    /// <summary>
    /// Parses one document, reporting a syntax error or an empty file to <paramref name="bag"/>
    /// (with <paramref name="emptyHint"/> saying what to add) and returning null for either.
    /// </summary>
    public static YamlNode? ParseReporting(string text, Diagnostics.DiagnosticBag bag, string emptyHint)
    {
        YamlNode? root;
        try
        {
            root = Parse(text);
        }
        catch (YamlSyntaxException e)
        {
            bag.Error(Diagnostics.Messages.YamlSyntax(e.Message), string.Empty, new YamlScalar(string.Empty, true, e.Line, e.Column));
            return null;
        }

        if (root is null)
        {
            bag.Error(Diagnostics.Messages.EmptyFile(emptyHint), string.Empty, null);
        }

        return root;
    }

    private static YamlNode ReadNode(IParser parser, int depth)
    {
        var start = parser.Current!.Start;
        int line = (int)start.Line, column = (int)start.Column;
        if (depth > MaxDepth && parser.Current is SequenceStart or MappingStart)
        {
            throw new YamlSyntaxException($"nested deeper than {MaxDepth} levels", line, column);
        }

        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return new YamlScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, line, column);
        }

        if (parser.TryConsume<SequenceStart>(out _))
        {
            var items = new List<YamlNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser, depth + 1));
            }

            return new YamlSequence(items, line, column);
        }

        if (parser.TryConsume<MappingStart>(out _))
        {
            var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyStart = parser.Current!.Start;
                if (ReadNode(parser, depth + 1) is not YamlScalar key)
                {
                    throw new YamlSyntaxException("mapping keys must be plain words", (int)keyStart.Line, (int)keyStart.Column);
                }

                entries.Add(new(key, ReadNode(parser, depth + 1)));
            }

            return new YamlMapping(entries, line, column);
        }

        if (parser.Current is AnchorAlias)
        {
            throw new YamlSyntaxException("anchors and aliases are not supported", line, column);
        }

        throw new YamlSyntaxException($"unexpected {parser.Current?.GetType().Name}", line, column);
    }

    private static string Clean(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 1, Idx: 20) - (...): "; the position is reported separately.
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        var text = cut >= 0 ? message[(cut + 3)..] : message;
        return text.TrimEnd('.').Trim();
    }
}

/// <summary>The YAML text could not be parsed.</summary>
public sealed class YamlSyntaxException(string reason, int line, int column) : Exception(reason)
{
    /// <summary>The 1-based line of the problem.</summary>
    public int Line { get; } = line;

    /// <summary>The 1-based column of the problem.</summary>
    public int Column { get; } = column;
}
