using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NftKnock.Server.Status;

/// <summary>
/// The one JSON writer and its one escaping rule, for every JSON document nftknock prints or keeps
/// (check, doctor, status, the pending apply file): quotes, backslashes, control characters and
/// U+2028/U+2029 escaped, other text left readable. Status writes its large document by hand for
/// speed, but escapes through <see cref="Escape"/>, so its bytes are the same.
/// </summary>
public static class JsonOutput
{
    /// <summary>The encoder every JSON writer uses.</summary>
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>A string's JSON form without its quotes, by the one rule.</summary>
    public static JsonEncodedText Escape(string value) => JsonEncodedText.Encode(value, Encoder);

    /// <summary>Writes one document with <see cref="Encoder"/> and returns it as text.</summary>
    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = Encoder }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }
}
