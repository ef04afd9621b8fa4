namespace NftKnock.Server;

// The HELP line of every metric nftknock metrics exposes.
public static partial class ServerTexts
{
    /// <summary>nftknock_knocks_total.</summary>
    public const string MetricKnocks = "Knock packets that reached one of the door's step chains.";

    /// <summary>nftknock_grants_total.</summary>
    public const string MetricGrants = "Completed knocks that granted a source (per client on rotating doors with clients).";

    /// <summary>nftknock_resets_total.</summary>
    public const string MetricResets = "Sources that lost their progress by sending something other than their next knock.";

    /// <summary>nftknock_blocked_total.</summary>
    public const string MetricBlocked = "New connections to the door's protected ports dropped for want of a grant.";

    /// <summary>nftknock_outside_total.</summary>
    public const string MetricOutside = "Complete knocks refused because they came outside the door's or client's time limit (per client with a limit of its own on doors with clients).";

    /// <summary>nftknock_replays_total.</summary>
    public const string MetricReplays = "Rotating doors: knocks refused because another address already completed that window (per client on doors with clients).";

    /// <summary>nftknock_granted.</summary>
    public const string MetricGranted = "Elements in the door's grant sets of this family now: granted addresses and granted prefixes.";

    /// <summary>nftknock_in_progress.</summary>
    public const string MetricInProgress = "Sources part-way through the door's sequence now (doors with more than one step).";

    /// <summary>nftknock_table_present.</summary>
    public const string MetricTablePresent = "1 when nftknock's table exists and was read, 0 when it does not exist.";
}
