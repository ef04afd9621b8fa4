namespace NftKnock.Cli;

/// <summary>The process exit codes every command uses (documented in docs/cli.md and the man page).</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Runtime failure: nft refused, a network error.</summary>
    public const int Failure = 1;

    /// <summary>Usage or configuration error.</summary>
    public const int Usage = 2;

    /// <summary>Knocked, but the port never opened.</summary>
    public const int NeverOpened = 3;

    /// <summary>Needs root or CAP_NET_ADMIN.</summary>
    public const int NeedsPrivileges = 4;
}
