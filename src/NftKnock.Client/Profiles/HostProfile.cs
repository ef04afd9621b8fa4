using NftKnock.Client.Knocking;
using NftKnock.Core.Model;

namespace NftKnock.Client.Profiles;

/// <summary>
/// One entry under <c>hosts:</c>: how to reach and knock a host. Every setting is optional; what a
/// profile leaves out comes from the command line or the defaults.
/// </summary>
/// <param name="Pattern">The exact name or glob the entry is listed under.</param>
/// <param name="Address">Where to knock and connect instead of the name, when set.</param>
/// <param name="Sequence">The knock steps; a rotating source can take the place of a static list.</param>
/// <param name="Port">The service port, for <c>knock --check</c>, <c>connect</c> without a port and <c>ssh-config</c>.</param>
/// <param name="Family">The address family to use.</param>
/// <param name="Attempts">Knock-and-connect attempts.</param>
/// <param name="Gap">The gap between knocks on the first attempt.</param>
/// <param name="ConnectTimeout">The first attempt's connect timeout.</param>
/// <param name="BackOff">The pause before the second attempt.</param>
public sealed record HostProfile(
    string Pattern,
    string? Address = null,
    ISequenceSource? Sequence = null,
    int? Port = null,
    Families? Family = null,
    int? Attempts = null,
    TimeSpan? Gap = null,
    TimeSpan? ConnectTimeout = null,
    TimeSpan? BackOff = null)
{
    /// <summary>The retry policy with this profile's settings over <paramref name="fallback"/>.</summary>
    public RetryPolicy Apply(RetryPolicy fallback) => new(
        Attempts ?? fallback.Attempts,
        Gap ?? fallback.Gap,
        ConnectTimeout ?? fallback.ConnectTimeout,
        BackOff ?? fallback.BackOff);
}

/// <summary>All the host profiles of one file, in file order.</summary>
public sealed class ProfileSet(IReadOnlyList<HostProfile> hosts)
{
    /// <summary>A set with no hosts, for when there is no profiles file.</summary>
    public static ProfileSet Empty { get; } = new([]);

    /// <summary>The entries in file order.</summary>
    public IReadOnlyList<HostProfile> Hosts { get; } = hosts;

    /// <summary>The entry for <paramref name="host"/>: an exact name wins, else the first glob that matches.</summary>
    public HostProfile? Find(string host)
    {
        foreach (var profile in Hosts)
        {
            if (!HostPattern.IsGlob(profile.Pattern) && string.Equals(profile.Pattern, host, StringComparison.OrdinalIgnoreCase))
            {
                return profile;
            }
        }

        foreach (var profile in Hosts)
        {
            if (HostPattern.IsGlob(profile.Pattern) && HostPattern.Matches(profile.Pattern, host))
            {
                return profile;
            }
        }

        return null;
    }
}
