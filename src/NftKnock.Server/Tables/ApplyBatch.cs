using System.Text;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Server.Tables;

/// <summary>What one apply does to the table before declaring it.</summary>
public enum TableStart
{
    /// <summary>The table is new: created empty, then declared.</summary>
    Created,

    /// <summary>The table is kept: flushed, what holds no live state deleted, then declared.</summary>
    Kept,

    /// <summary>A kept set changed type: the table is deleted and declared afresh, and grants go with it.</summary>
    Recreated,
}

/// <summary>
/// One apply as data: how the table starts, what is deleted, the table declared, and a map filled in the
/// same batch. <see cref="Text"/> is the one nft script for it; a fake can apply the data instead.
/// </summary>
public sealed record ApplyBatch(string Header, TableStart Start, IReadOnlyList<(string Keyword, string Name)> Deletes, NftTable Model, MapFill? Fill = null)
{
    /// <summary>The batch as one <c>nft -f</c> script.</summary>
    public string Text
    {
        get
        {
            var table = Model.Name;
            var text = new StringBuilder(Header).Append(NftWriter.Preamble(table, keepSets: Start != TableStart.Recreated));
            foreach (var (keyword, name) in Deletes)
            {
                text.Append(NftWriter.Delete(table, keyword, name));
            }

            text.Append('\n').Append(NftWriter.Write(Model));
            return Fill is null ? text.ToString() : text.Append(NftWriter.Fill(table, Fill)).ToString();
        }
    }
}
