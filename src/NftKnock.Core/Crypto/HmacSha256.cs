namespace NftKnock.Core.Crypto;

/// <summary>HMAC-SHA256 as RFC 2104 defines it, over the managed <see cref="Sha256"/>.</summary>
/// <remarks>
/// The key's two padded blocks are hashed once, when the MAC is made, so that each message costs only its own
/// blocks: rotate derives every client's knocks of three windows with one key each, nine or more MACs a key.
/// </remarks>
public readonly struct HmacSha256
{
    /// <summary>Bytes in a MAC.</summary>
    public const int HashSizeInBytes = Sha256.HashSizeInBytes;

    private const byte InnerPad = 0x36;
    private const byte OuterPad = 0x5c;

    // The hashes with (K ^ ipad) and (K ^ opad) appended: every MAC under this key starts from them.
    private readonly Sha256 inner;
    private readonly Sha256 outer;

    /// <summary>The MAC under <paramref name="key"/>.</summary>
    public HmacSha256(ReadOnlySpan<byte> key)
    {
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
        inner = new Sha256();
        inner.Append(block);

        // (K ^ ipad) ^ (ipad ^ opad) is K ^ opad.
        Xor(block, InnerPad ^ OuterPad);
        outer = new Sha256();
        outer.Append(block);
        block.Clear();
    }

    /// <summary>The MAC of <paramref name="message"/> under <paramref name="key"/>, written to <paramref name="destination"/> (32 bytes).</summary>
    public static void HashData(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, Span<byte> destination) =>
        new HmacSha256(key).Compute(message, destination);

    /// <summary>The MAC of <paramref name="message"/>, written to <paramref name="destination"/> (32 bytes).</summary>
    public void Compute(ReadOnlySpan<byte> message, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, HashSizeInBytes);
        var innerHash = inner;
        innerHash.Append(message);
        Span<byte> innerDigest = stackalloc byte[Sha256.HashSizeInBytes];
        innerHash.Finish(innerDigest);
        var outerHash = outer;
        outerHash.Append(innerDigest);
        outerHash.Finish(destination);
    }

    private static void Xor(Span<byte> block, int pad)
    {
        for (var i = 0; i < block.Length; i++)
        {
            block[i] ^= (byte)pad;
        }
    }
}
