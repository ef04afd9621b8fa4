using NftKnock.Core.Links;
using NftKnock.Server.Status;

namespace NftKnock.Cli.Enrolment;

/// <summary>Two views of one <c>client add</c> result: the profile, the link and the QR code as text, or JSON for tools.</summary>
internal static class AddOutput
{
    public static string Text(AddOutcome outcome, bool qr)
    {
        var link = outcome.Link!;
        var text = "# ~/.config/nftknock/client.yaml on the client (%APPDATA%\\nftknock\\client.yaml on Windows), or nftknock import the link below\n"
            + LinkProfile.File(link) + "\n" + link.Format() + "\n";
        return qr ? text + "\n" + QrText.Render(link.Format()) : text;
    }

    public static string Json(AddOutcome outcome, string? client, bool applied) => JsonOutput.Write(w =>
    {
        var link = outcome.Link!;
        w.WriteStartObject();
        if (client is not null)
        {
            w.WriteString("client", client);
        }

        w.WriteString("door", outcome.Door);
        w.WriteBoolean("shared", outcome.Shared);
        if (outcome.SecretPath is { } secret)
        {
            w.WriteString("secret_file", secret);
        }

        w.WriteBoolean("applied", applied);
        w.WriteString("host", link.Host);
        if (link.Port is { } port)
        {
            w.WriteNumber("port", port);
        }

        w.WriteString("link", link.Format());
        w.WriteString("profile", LinkProfile.File(link));
        w.WriteEndObject();
    }) + "\n";
}
