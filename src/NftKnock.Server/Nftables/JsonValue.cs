using System.Globalization;
using System.Text;

namespace NftKnock.Server.Nftables;

/// <summary>
/// One JSON value read whole by <see cref="JsonScanner"/>: for small, irregular parts of a listing (a
/// rule's expressions) that are easier to query than to stream. Listings themselves are streamed.
/// </summary>
internal sealed class JsonValue
{
    /// <summary>How deep values may nest before reading stops: nft's rule expressions nest about ten deep.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonValue[] NoItems = [];

    private readonly string? text;
    private readonly KeyValuePair<string, JsonValue>[]? properties;
    private readonly JsonValue[]? items;

    private JsonValue(JsonKind kind, string? text = null, KeyValuePair<string, JsonValue>[]? properties = null, JsonValue[]? items = null) =>
        (Kind, this.text, this.properties, this.items) = (kind, text, properties, items);

    /// <summary>What kind of value this is.</summary>
    public JsonKind Kind { get; }

    /// <summary>An array's items; empty for anything else.</summary>
    public IReadOnlyList<JsonValue> Items => items ?? NoItems;

    /// <summary>An object's properties in the order written; empty for anything else.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonValue>> Properties => properties ?? [];

    /// <summary>Reads one document.</summary>
    /// <exception cref="FormatException">The text is not one JSON value, or nests deeper than <see cref="MaxDepth"/>.</exception>
    public static JsonValue Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new JsonScanner(utf8);
        if (!reader.Read())
        {
            throw new FormatException("the JSON text is empty");
        }

        var value = Read(ref reader);
        return reader.Read() ? throw new FormatException("the JSON text goes on after its value") : value;
    }

    /// <summary>Reads the value the scanner is on (after a property name: that property's value), leaving the scanner on its last token.</summary>
    /// <exception cref="FormatException">The value is broken or nests deeper than <see cref="MaxDepth"/>.</exception>
    public static JsonValue Read(ref JsonScanner reader)
    {
        if (reader.TokenType == JsonToken.PropertyName && !reader.Read())
        {
            throw new FormatException("JSON ends after a property name");
        }

        return Read(ref reader, 0);
    }

    /// <summary>The named property of an object; false when this is no object or has no such property.</summary>
    public bool TryGetProperty(string name, out JsonValue value)
    {
        foreach (var property in Properties)
        {
            if (property.Key == name)
            {
                value = property.Value;
                return true;
            }
        }

        value = null!;
        return false;
    }

    /// <summary>Whether this is an object with the named property.</summary>
    public bool Has(string name) => TryGetProperty(name, out _);

    /// <summary>The named property of an object.</summary>
    /// <exception cref="FormatException">This is no object or has no such property.</exception>
    public JsonValue Get(string name) =>
        TryGetProperty(name, out var value) ? value : throw new FormatException($"a JSON object has no \"{name}\"");

    /// <summary>The named property's string; null when there is no such property or it is not a string.</summary>
    public string? Text(string name) => TryGetProperty(name, out var value) && value.Kind == JsonKind.String ? value.text : null;

    /// <summary>This string.</summary>
    /// <exception cref="FormatException">This is not a string.</exception>
    public string GetString() => Kind == JsonKind.String ? text! : throw new FormatException($"JSON has {Kind} where a string belongs");

    /// <summary>This number as a 32-bit integer; false when it is none.</summary>
    public bool TryGetInt32(out int value)
    {
        value = 0;
        return Kind == JsonKind.Number && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>This number as a 32-bit integer.</summary>
    /// <exception cref="FormatException">This is not a whole number in range.</exception>
    public int GetInt32() => TryGetInt32(out var value) ? value : throw new FormatException($"JSON has {Kind} where a whole number belongs");

    private static JsonValue Read(ref JsonScanner reader, int depth) => reader.TokenType switch
    {
        JsonToken.StartObject => ReadObject(ref reader, depth + 1),
        JsonToken.StartArray => ReadArray(ref reader, depth + 1),
        JsonToken.String => new JsonValue(JsonKind.String, reader.GetString()),
        JsonToken.Number => new JsonValue(JsonKind.Number, Encoding.UTF8.GetString(reader.ValueSpan)),
        JsonToken.True => new JsonValue(JsonKind.True),
        JsonToken.False => new JsonValue(JsonKind.False),
        JsonToken.Null => new JsonValue(JsonKind.Null),
        _ => throw new FormatException($"JSON has {reader.TokenType} where a value belongs"),
    };

    private static JsonValue ReadObject(ref JsonScanner reader, int depth)
    {
        CheckDepth(depth);
        var properties = new List<KeyValuePair<string, JsonValue>>();
        while (Next(ref reader) != JsonToken.EndObject)
        {
            if (reader.TokenType != JsonToken.PropertyName)
            {
                throw new FormatException($"JSON has {reader.TokenType} where a property name belongs");
            }

            var name = reader.GetString();
            Next(ref reader);
            properties.Add(new(name, Read(ref reader, depth)));
        }

        return new JsonValue(JsonKind.Object, properties: [.. properties]);
    }

    private static JsonValue ReadArray(ref JsonScanner reader, int depth)
    {
        CheckDepth(depth);
        var list = new List<JsonValue>();
        while (Next(ref reader) != JsonToken.EndArray)
        {
            list.Add(Read(ref reader, depth));
        }

        return new JsonValue(JsonKind.Array, items: [.. list]);
    }

    private static void CheckDepth(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException($"JSON nests deeper than {MaxDepth}");
        }
    }

    private static JsonToken Next(ref JsonScanner reader) =>
        reader.Read() ? reader.TokenType : throw new FormatException("JSON ends inside an object or array");
}
