using System.Globalization;
using System.Text;
using NftKnock.Core.Config;
using NftKnock.Core.Model;

namespace NftKnock.Core.Links;

/// <summary>
/// The client.yaml text of a link's profile: what <c>client add</c> prints and <c>import</c> writes,
/// composed from the link's parsed values only, so nothing in a link can add keys.
/// </summary>
public static class LinkProfile
{
    /// <summary>A whole profiles file holding the link's host.</summary>
    public static string File(ClientLink link) => "hosts:\n" + Entry(link);

    /// <summary>The host's entry as it sits under <c>hosts:</c>, two spaces in.</summary>
    public static string Entry(ClientLink link)
    {
        var text = new StringBuilder();
        if (link.Label is { Length: > 0 } label && !label.Any(char.IsControl))
        {
            text.Append("  # ").Append(label).Append('\n');
        }

        text.Append("  ").Append(Starter.Quote(link.Host)).Append(":\n");
        if (link.Port is { } port)
        {
            text.Append("    port: ").Append(port.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        if (link.Secret is not { } secret)
        {
            return text.Append("    sequence: [").Append(string.Join(", ", link.Sequence!)).Append("]\n").ToString();
        }

        var spec = link.Spec;
        text.Append("    rotating:\n")
            .Append("      door: ").Append(link.Door).Append('\n')
            .Append("      secret: ").Append(Convert.ToBase64String(secret)).Append('\n')
            .Append("      knocks: ").Append(spec.Knocks.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("      period: ").Append(Duration.Format(spec.Period)).Append('\n')
            .Append("      ports: ").Append(spec.Ports.PortsText).Append('\n');
        if (spec.Exclude.Count > 0)
        {
            text.Append("      exclude: [").Append(string.Join(", ", spec.Exclude.Select(e => e.PortsText))).Append("]\n");
        }

        return text.ToString();
    }
}
