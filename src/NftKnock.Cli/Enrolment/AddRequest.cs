namespace NftKnock.Cli.Enrolment;

/// <summary>What <c>client add</c> was asked for, as parsed from its options.</summary>
/// <param name="ConfigPath">The server config.</param>
/// <param name="Name">The new client's name.</param>
/// <param name="Door">The door, or null to take the config's only (rotating) door.</param>
/// <param name="Host">HOST[:PORT] for the profile, or null for this machine's name and the door's port.</param>
/// <param name="SecretDir">Where secrets go, or null for clients/ beside the config.</param>
/// <param name="Extras">Further keys of the client's entry, as (key, YAML value), composed from checked values.</param>
internal sealed record AddRequest(string ConfigPath, string Name, string? Door, string? Host, string? SecretDir, IReadOnlyList<(string Key, string Yaml)> Extras);

/// <summary>What <c>client add</c> did, for the text and JSON views and for undoing it when the apply fails.</summary>
/// <param name="Code">The exit code so far.</param>
/// <param name="Link">The client's profile as a link; null when nothing can be handed over.</param>
/// <param name="Door">The door's name.</param>
/// <param name="SecretPath">The new secret file; null for a static door, where nothing is written.</param>
/// <param name="PreviousConfig">The config's text before the edit, to restore it.</param>
internal sealed record AddOutcome(int Code, Core.Links.ClientLink? Link = null, string? Door = null, string? SecretPath = null, string? PreviousConfig = null)
{
    /// <summary>A static door's shared profile: nothing was written.</summary>
    public bool Shared => Link is { IsRotating: false };
}
