using System.Globalization;
using System.Text;
using NftKnock.Core.Crypto;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Rotation;

/// <summary>
/// A digest of a loaded table's chains and their kernel handles. Every apply deletes and declares the
/// chains afresh, and a handle is never given twice within a table, so the print changes with each apply
/// and each recreated table that has been applied more than once; a narrow listing (the chains alone)
/// gives it. Rotate keeps it beside the table's handle in the record of served windows: while the print
/// is the same, so is the table, and its handle need not be read again.
/// </summary>
public static class TablePrint
{
    /// <summary>The print of <paramref name="table"/>: 16 hex digits of the SHA-256 of its chains' names and handles, in name order.</summary>
    public static string Of(TableReading table)
    {
        var text = new StringBuilder();
        foreach (var name in table.ChainState.Keys.Order(StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"{name} {table.ChainState[name].Handle}\n");
        }

        Span<byte> hash = stackalloc byte[Sha256.HashSizeInBytes];
        Sha256.HashData(Encoding.UTF8.GetBytes(text.ToString()), hash);
        return Convert.ToHexStringLower(hash[..8]);
    }
}
