namespace NftKnock.Core.Crypto;

/// <summary>HMAC-SHA256 as RFC 2104 defines it, over the managed <see cref="Sha256"/>.</summary>
public static class HmacSha256
{
    /// <summary>Bytes in a MAC.</summary>
    public const int HashSizeInBytes = Sha256.HashSizeInBytes;

    private const byte InnerPad = 0x36;
    private const byte OuterPad = 0x5c;

    /// <summary>The MAC of <paramref name="message"/> under <paramref name="key"/>, written to <paramref name="destination"/> (32 bytes).</summary>
    public static void HashData(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, HashSizeInBytes);

        // A key longer than a block is first hashed down to a digest (RFC 2104 section 2).
        Span<byte> block = stackalloc byte[Sha256.BlockSizeInBytes];
        block.Clear();
        if (key.Length > Sha256.BlockSizeInBytes)
        {
            Sha256.HashData(key, block);
        }
        else
        {
            key.CopyTo(block);
        }

        Xor(block, InnerPad);
        var inner = new Sha256();
        inner.Append(block);
        inner.Append(message);
        Span<byte> innerDigest = stackalloc byte[Sha256.HashSizeInBytes];
        inner.Finish(innerDigest);

        // (K ^ ipad) ^ (ipad ^ opad) is K ^ opad.
        Xor(block, InnerPad ^ OuterPad);
        var outer = new Sha256();
        outer.Append(block);
        outer.Append(innerDigest);
        outer.Finish(destination);
        block.Clear();
    }

    private static void Xor(Span<byte> block, int pad)
    {
        for (var i = 0; i < block.Length; i++)
        {
            block[i] ^= (byte)pad;
        }
    }
}
