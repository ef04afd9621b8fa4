namespace NftKnock.Server.Tables;

/// <summary>A table with our name exists but was not written by nftknock, so it is left alone.</summary>
public sealed class ForeignTableException(string table)
    : Exception($"table inet {table} exists and was not made by nftknock")
{
    /// <summary>The table's name.</summary>
    public string Table { get; } = table;
}
