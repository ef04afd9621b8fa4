namespace NftKnock.Core.Model;

/// <summary>A transport protocol that can carry a knock or a protected service.</summary>
public enum Protocol
{
    /// <summary>TCP.</summary>
    Tcp,

    /// <summary>UDP.</summary>
    Udp,
}

/// <summary>Names of protocols as they appear in configs and nft scripts.</summary>
public static class ProtocolNames
{
    /// <summary>The lowercase name, as nft spells it.</summary>
    public static string Name(this Protocol protocol) => protocol == Protocol.Tcp ? "tcp" : "udp";

    /// <summary>Parses "tcp" or "udp" (any case).</summary>
    public static bool TryParse(string text, out Protocol protocol)
    {
        switch (text.ToLowerInvariant())
        {
            case "tcp":
                protocol = Protocol.Tcp;
                return true;
            case "udp":
                protocol = Protocol.Udp;
                return true;
            default:
                protocol = default;
                return false;
        }
    }
}
