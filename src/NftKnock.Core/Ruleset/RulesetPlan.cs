using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Core.Ruleset;

/// <summary>The planned table: the model, and the body text <see cref="NftWriter"/> renders from it.</summary>
public sealed record RulesetPlan(NftTable Model)
{
    /// <summary>The table's name.</summary>
    public string Table => Model.Name;

    /// <summary>The table's declaration, rendered from <see cref="Model"/>.</summary>
    public string Body => NftWriter.Write(Model);

    /// <summary>The nft script that creates the table on a host that does not have it yet.</summary>
    public string FreshScript(string header) =>
        $"{header}{NftWriter.Preamble(Table, keepSets: true)}\n{Body}";
}
