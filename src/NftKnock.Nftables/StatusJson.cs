using System.Text;
using System.Text.Json;

namespace NftKnock.Nftables;

/// <summary>Writes a status report as the documented JSON.</summary>
public static class StatusJson
{
    /// <summary>The report as one JSON document.</summary>
    public static string Write(StatusReport report)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("table", report.Table);
            w.WriteStartArray("doors");
            foreach (var door in report.Doors)
            {
                w.WriteStartObject();
                w.WriteString("name", door.Name);
                w.WriteStartArray("protect");
                door.Protect.ToList().ForEach(w.WriteStringValue);
                w.WriteEndArray();
                w.WriteNumber("steps", door.Steps);
                w.WriteStartArray("open");
                foreach (var open in door.Open)
                {
                    w.WriteStartObject();
                    w.WriteString("address", open.Address);
                    w.WriteNumber("expiresInMs", open.ExpiresInMs);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("inProgress");
                foreach (var p in door.InProgress)
                {
                    w.WriteStartObject();
                    w.WriteString("address", p.Address);
                    w.WriteNumber("stage", p.Stage);
                    w.WriteNumber("expiresInMs", p.ExpiresInMs);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartObject("counters");
                foreach (var (kind, value) in door.Counters)
                {
                    w.WriteNumber(kind, value);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
