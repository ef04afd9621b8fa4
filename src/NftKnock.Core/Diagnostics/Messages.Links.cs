namespace NftKnock.Core.Diagnostics;

/// <summary>The sentences of client links (NK24x), docs/link.md.</summary>
public static partial class Messages
{
    /// <summary>The text is not an nftknock link at all.</summary>
    public static Message NotALink(string why) =>
        new("NK240", $"This is not an nftknock link: {why}. Copy the whole link that nftknock client add printed, starting with nftknock://.");

    /// <summary>A parameter the link format knows appears twice.</summary>
    public static Message LinkParameterTwice(string name) =>
        new("NK241", $"The link has the parameter '{name}' twice. Copy the link again from nftknock client add.");

    /// <summary>A link of a newer major version.</summary>
    public static Message LinkTooNew(string version) =>
        new("NK242", $"This link has version {version}, newer than this nftknock reads (1). Update nftknock, then import the link again.");

    /// <summary>Neither or both of a secret and a static sequence.</summary>
    public static Message LinkSecretOrSequence() =>
        new("NK243", "The link must carry exactly one of s= (a rotating door's secret) and q= (a static door's sequence). Copy the link again from nftknock client add.");

    /// <summary>A parameter whose value is out of its range or grammar.</summary>
    public static Message LinkBadValue(string name, string value, string expected) =>
        new("NK244", $"The link's {name}= value '{Visible.Escape(value)}' is not {expected}. Copy the link again from nftknock client add.");

    /// <summary>The config's clients cannot be edited line by line.</summary>
    public static Message CannotEditClients(string door) =>
        new("NK245", $"nftknock cannot edit the clients of door '{door}' in place: write its rotating: section one key per line, with clients: as a list of one client per line (- {{name: alice, secret-file: /etc/nftknock/clients/alice.secret}}), or edit the config by hand.");

    /// <summary>Removing the only client would leave the door without a secret.</summary>
    public static Message LastClient(string name, string door) =>
        new("NK246", $"'{name}' is the last client of door '{door}'; without it the door has no secret. Add another client first, or remove the door from the config.");
}
