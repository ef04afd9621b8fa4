using System.Buffers.Text;
using System.Text;

namespace NftKnock.Server.Nftables;

/// <summary>
/// The product's one JSON reader: a forward-only tokenizer for nft's output (and the other JSON nftknock
/// reads: journalctl's records, the pending apply file), in the spirit of <c>Utf8JsonReader</c> but doing
/// less: it checks brackets, not commas, and leaves strings unvalidated until they are read. Even
/// with both compiled natively, status --json over 65,536 grants took about 10 ms more CPU with
/// <c>Utf8JsonReader</c> (66 ms against 57), a sixth of what status may add to nft's own listing;
/// bench/jsonread, which walks the same 4.6 MB listing with each doing the same work per token,
/// puts this one about a fifth faster (docs/BENCHMARKS.md).
/// </summary>
internal ref partial struct JsonScanner(ReadOnlySpan<byte> utf8)
{
    private readonly ReadOnlySpan<byte> source = utf8;
    private int position;
    private int valueStart;
    private int valueEnd;
    private int depth;
    private bool escaped;

    /// <summary>The current token.</summary>
    public JsonToken TokenType { get; private set; }

    /// <summary>Where the current token starts in the input (a string's opening quote).</summary>
    public int TokenStartIndex { get; private set; }

    /// <summary>Where the current token ends in the input.</summary>
    public readonly int BytesConsumed => position;

    /// <summary>A number's text, or a string's or property name's bytes between the quotes (escapes as written).</summary>
    public readonly ReadOnlySpan<byte> ValueSpan => source[valueStart..valueEnd];

    /// <summary>Moves to the next token; false at the end of the input.</summary>
    public bool Read()
    {
        while (position < source.Length && source[position] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)',' or (byte)':')
        {
            position++;
        }

        if (position >= source.Length)
        {
            if (depth != 0)
            {
                throw new FormatException("nft -j output ends inside an object or array");
            }

            TokenType = JsonToken.None;
            return false;
        }

        TokenStartIndex = position;
        var c = source[position];
        switch (c)
        {
            case (byte)'{':
                Open(JsonToken.StartObject);
                break;
            case (byte)'[':
                Open(JsonToken.StartArray);
                break;
            case (byte)'}':
                Close(JsonToken.EndObject);
                break;
            case (byte)']':
                Close(JsonToken.EndArray);
                break;
            case (byte)'"':
                ScanString();
                break;
            case (byte)'t':
                Literal("true"u8, JsonToken.True);
                break;
            case (byte)'f':
                Literal("false"u8, JsonToken.False);
                break;
            case (byte)'n':
                Literal("null"u8, JsonToken.Null);
                break;
            case (byte)'-' or (>= (byte)'0' and <= (byte)'9'):
                ScanNumber();
                break;
            default:
                throw new FormatException($"nft -j output has an unexpected character at byte {position}");
        }

        return true;
    }

    /// <summary>Skips the value the scanner is on (after a property name: that property's value), children and all.</summary>
    public void Skip()
    {
        if (TokenType == JsonToken.PropertyName && !Read())
        {
            throw new FormatException("nft -j output ends after a property name");
        }

        if (TokenType is not (JsonToken.StartObject or JsonToken.StartArray))
        {
            return;
        }

        var target = depth - 1;
        while (depth > target)
        {
            if (!Read())
            {
                throw new FormatException("nft -j output ends inside an object or array");
            }
        }
    }

    /// <summary>Whether the current string or property name is exactly <paramref name="text"/>.</summary>
    public readonly bool ValueTextEquals(ReadOnlySpan<byte> text) =>
        TokenType is JsonToken.String or JsonToken.PropertyName && !escaped && ValueSpan.SequenceEqual(text);

    /// <summary>The current string or property name.</summary>
    public readonly string GetString()
    {
        if (TokenType is not (JsonToken.String or JsonToken.PropertyName))
        {
            throw new FormatException($"nft -j output has {TokenType} where a string belongs");
        }

        return escaped ? Unescape(ValueSpan) : Encoding.UTF8.GetString(ValueSpan);
    }

    /// <summary>The current number as a 64-bit integer.</summary>
    public readonly long GetInt64() =>
        TokenType == JsonToken.Number && Utf8Parser.TryParse(ValueSpan, out long value, out var used) && used == ValueSpan.Length
            ? value
            : throw new FormatException($"nft -j output has {TokenType} where a whole number belongs");

    /// <summary>The current number as a 32-bit integer.</summary>
    public readonly int GetInt32() => checked((int)GetInt64());

    private void Open(JsonToken type)
    {
        depth++;
        position++;
        TokenType = type;
    }

    private void Close(JsonToken type)
    {
        if (--depth < 0)
        {
            throw new FormatException("nft -j output closes more than it opened");
        }

        position++;
        TokenType = type;
    }

    private void ScanString()
    {
        var i = position + 1;
        escaped = false;
        while (i < source.Length && source[i] != (byte)'"')
        {
            if (source[i] == (byte)'\\')
            {
                escaped = true;
                i++;
            }

            i++;
        }

        if (i >= source.Length)
        {
            throw new FormatException("nft -j output ends inside a string");
        }

        (valueStart, valueEnd, position) = (position + 1, i, i + 1);
        var next = position;
        while (next < source.Length && source[next] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            next++;
        }

        TokenType = next < source.Length && source[next] == (byte)':' ? JsonToken.PropertyName : JsonToken.String;
    }

    private void ScanNumber()
    {
        var i = position;
        while (i < source.Length && source[i] is (byte)'-' or (byte)'+' or (byte)'.' or (byte)'e' or (byte)'E' or (>= (byte)'0' and <= (byte)'9'))
        {
            i++;
        }

        (valueStart, valueEnd, position) = (position, i, i);
        escaped = false;
        TokenType = JsonToken.Number;
    }

    private void Literal(ReadOnlySpan<byte> text, JsonToken type)
    {
        if (!source[position..].StartsWith(text))
        {
            throw new FormatException($"nft -j output has an unexpected word at byte {position}");
        }

        (valueStart, valueEnd) = (position, position + text.Length);
        position += text.Length;
        escaped = false;
        TokenType = type;
    }
}
