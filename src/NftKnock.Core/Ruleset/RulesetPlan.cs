namespace NftKnock.Core.Ruleset;

/// <summary>What kind of object a planned name is, which decides how apply treats an existing one.</summary>
public enum ObjectKind
{
    /// <summary>A set whose elements are live state (stages, progress, grants): kept across applies.</summary>
    StatefulSet,

    /// <summary>A set or map whose elements come from the config: recreated on every apply.</summary>
    StaticSet,

    /// <summary>A verdict map: recreated on every apply.</summary>
    Map,

    /// <summary>A chain: recreated on every apply.</summary>
    Chain,

    /// <summary>A named counter: kept, so counts survive a re-apply.</summary>
    Counter,
}

/// <summary>One named object of the planned table; <see cref="Type"/> is the nft type of stateful sets.</summary>
public sealed record PlannedObject(ObjectKind Kind, string Name, string? Type = null);

/// <summary>The planned table: its objects, and the body text that declares them.</summary>
public sealed record RulesetPlan(string Table, IReadOnlyList<PlannedObject> Objects, string Body)
{
    /// <summary>The nft script that creates the table on a host that does not have it yet.</summary>
    public string FreshScript(string header) =>
        $"{header}table inet {Table} {{}}\nflush table inet {Table}\n\n{Body}";
}
