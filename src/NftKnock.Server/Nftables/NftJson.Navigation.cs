using System.Globalization;

namespace NftKnock.Server.Nftables;

// Moving through nft's JSON: properties, skipping, and what a listing must hold.
public static partial class NftJson
{
    /// <summary>Whether the object the reader is on starts with this property, without moving the reader.</summary>
    private static bool FirstProperty(JsonScanner lookahead, ReadOnlySpan<byte> name) =>
        lookahead.Read() && lookahead.TokenType == JsonToken.PropertyName && lookahead.ValueTextEquals(name);

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool NextProperty(ref JsonScanner reader)
    {
        Next(ref reader);
        return reader.TokenType switch
        {
            JsonToken.PropertyName => true,
            JsonToken.EndObject => false,
            _ => throw new FormatException("nft -j output has an object that does not close"),
        };
    }

    /// <summary>Skips the value of the property the reader is on.</summary>
    private static void SkipValue(ref JsonScanner reader)
    {
        Next(ref reader);
        reader.Skip();
    }

    /// <summary>Skips the remaining properties of the current object, up to its end.</summary>
    private static void SkipRest(ref JsonScanner reader)
    {
        while (NextProperty(ref reader))
        {
            SkipValue(ref reader);
        }
    }

    private static void Expect(ref JsonScanner reader, JsonToken type)
    {
        if (Next(ref reader) != type)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"nft -j output has {reader.TokenType} where {type} belongs"));
        }
    }

    private static JsonToken Next(ref JsonScanner reader) =>
        reader.Read() ? reader.TokenType : throw new FormatException("nft -j output ends early");

    private static List<string> ReadStrings(ref JsonScanner reader)
    {
        if (reader.TokenType != JsonToken.StartArray)
        {
            throw new FormatException("nft -j output has a list that is not an array");
        }

        var strings = new List<string>();
        while (Next(ref reader) != JsonToken.EndArray)
        {
            strings.Add(reader.GetString()!);
        }

        return strings;
    }
}
