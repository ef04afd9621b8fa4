namespace NftKnock.Server.Doctor;

/// <summary>
/// What a doctor check needs before it can say anything: <see cref="DoctorService"/> runs a check only
/// when all of it is there, and otherwise reports it skipped with why, in one place for every check.
/// </summary>
[Flags]
public enum DoctorNeeds
{
    /// <summary>Nothing: the check runs on any host.</summary>
    None = 0,

    /// <summary>A valid config.</summary>
    Config = 1,

    /// <summary>An nft that answers <c>nft --version</c>.</summary>
    Nft = 2,

    /// <summary>The right to ask nft about the kernel's state: root or CAP_NET_ADMIN.</summary>
    Root = 4,

    /// <summary>The host's ruleset as <c>nft -j list ruleset</c> lists it (and so nft and root).</summary>
    Ruleset = 8,

    /// <summary>Our table as <c>nft -j list table inet T</c> lists it (and so nft and root).</summary>
    Table = 16,
}
