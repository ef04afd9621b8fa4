using NftKnock.Client.Knocking;
using NftKnock.Client.Profiles;

namespace NftKnock.Client.Settings;

/// <summary>
/// The client options as given on a command line, before any of them is checked. Both the full
/// parser and connect's quick reader fill this in; <see cref="ClientSettings.Resolve"/> checks and merges it.
/// </summary>
public sealed record ClientArgs(
    bool IPv4 = false,
    bool IPv6 = false,
    string? Attempts = null,
    string? Gap = null,
    string? ConnectTimeout = null,
    string? BackOff = null,
    string? Profiles = null,
    bool Verbose = false);

/// <summary>A host's settings after the profile and the command line are merged.</summary>
/// <param name="Host">The host as the user named it.</param>
/// <param name="Request">What to knock, where, over which family and how hard.</param>
/// <param name="Profile">The host's profile, if one matched.</param>
/// <param name="Port">The profile's service port, if it sets one.</param>
public sealed record ClientTarget(string Host, KnockRequest Request, HostProfile? Profile, int? Port);

/// <summary>A profiles file as read: the hosts (empty when there is no file) and where it was looked for.</summary>
/// <param name="Set">The host profiles.</param>
/// <param name="Path">The file read or looked for; null when there is no default place for it.</param>
public sealed record LoadedProfiles(ProfileSet Set, string? Path);
