namespace NftKnock.Core.Diagnostics;

/// <summary>The sentences of grant prefixes and a door's log lines (NK220 to NK223).</summary>
public static partial class Messages
{
    /// <summary>A grant-prefix length that is not a whole number in the family's range.</summary>
    public static Message BadGrantPrefix(string family, string value, int max) =>
        new("NK220", Invariant($"grant-prefix {family} '{value}' is not a prefix length. Use a whole number from 1 to {max}: {max} grants the knocking address alone, a shorter length its whole network, like {family}: {(max == 32 ? 24 : 64)}."));

    /// <summary>A log-group that is not an NFLOG group number.</summary>
    public static Message BadLogGroup(string value) =>
        new("NK221", $"log-group '{value}' is not an NFLOG group. Use a whole number from 0 to 65535, the group ulogd2 listens on, like log-group: 1.");

    /// <summary>A log-group on a door whose log lines are off.</summary>
    public static Message LogGroupWithoutLog() =>
        new("NK222", "log-group is set, but log: false turns the door's log lines off. Remove log-group, or remove log: false to send the lines to that NFLOG group.");

    /// <summary>Warning: a grant prefix so wide that one knock opens the door to a large network.</summary>
    public static Message WideGrantPrefix(string family, int length, int widest) =>
        new("NK223", Invariant($"grant-prefix {family}: {length} is wider than /{widest}: one knock opens the door to every address in its /{length}, far more than one home, office or mobile network. Use {widest} or more unless that is what you mean."));
}
