using System.Buffers.Binary;
using System.Numerics;

namespace NftKnock.Core.Crypto;

/// <summary>
/// SHA-256 as FIPS 180-4 specifies it, in managed code. The runtime's own SHA-256 goes through
/// OpenSSL on Linux, and loading libssl, libcrypto and openssl.cnf cost a cold client process more
/// than its whole knock; a rotating knock hashes a few hundred bytes, so plain code is the faster way.
/// </summary>
public struct Sha256
{
    /// <summary>Bytes in a digest.</summary>
    public const int HashSizeInBytes = 32;

    /// <summary>Bytes in a block, the unit the compression function takes.</summary>
    public const int BlockSizeInBytes = 64;

    private static ReadOnlySpan<uint> K =>
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private State state;
    private Block pending;
    private int pendingLength;
    private ulong totalLength;

    /// <summary>A hash with nothing in it yet.</summary>
    public Sha256()
    {
        state = default;
        state[0] = 0x6a09e667;
        state[1] = 0xbb67ae85;
        state[2] = 0x3c6ef372;
        state[3] = 0xa54ff53a;
        state[4] = 0x510e527f;
        state[5] = 0x9b05688c;
        state[6] = 0x1f83d9ab;
        state[7] = 0x5be0cd19;
    }

    /// <summary>The digest of <paramref name="data"/>, written to <paramref name="destination"/> (32 bytes).</summary>
    public static void HashData(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var hash = new Sha256();
        hash.Append(data);
        hash.Finish(destination);
    }

    /// <summary>Adds <paramref name="data"/> to the message.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        totalLength += (ulong)data.Length;
        Span<byte> buffer = pending;
        if (pendingLength > 0)
        {
            var take = Math.Min(BlockSizeInBytes - pendingLength, data.Length);
            data[..take].CopyTo(buffer[pendingLength..]);
            pendingLength += take;
            data = data[take..];
            if (pendingLength < BlockSizeInBytes)
            {
                return;
            }

            Compress(ref state, buffer);
            pendingLength = 0;
        }

        while (data.Length >= BlockSizeInBytes)
        {
            Compress(ref state, data[..BlockSizeInBytes]);
            data = data[BlockSizeInBytes..];
        }

        data.CopyTo(buffer);
        pendingLength = data.Length;
    }

    /// <summary>Pads the message as FIPS 180-4 5.1.1 says and writes the digest (32 bytes); the hash is spent.</summary>
    public void Finish(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, HashSizeInBytes);
        var bits = totalLength * 8;
        Span<byte> buffer = pending;
        buffer[pendingLength++] = 0x80;
        if (pendingLength > BlockSizeInBytes - 8)
        {
            buffer[pendingLength..].Clear();
            Compress(ref state, buffer);
            pendingLength = 0;
        }

        buffer[pendingLength..(BlockSizeInBytes - 8)].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(buffer[(BlockSizeInBytes - 8)..], bits);
        Compress(ref state, buffer);
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(i * 4)..], state[i]);
        }
    }

    /// <summary>The compression function of FIPS 180-4 6.2.2 over one 64-byte block.</summary>
    private static void Compress(ref State h, ReadOnlySpan<byte> block)
    {
        Span<uint> w = stackalloc uint[64];
        for (var t = 0; t < 16; t++)
        {
            w[t] = BinaryPrimitives.ReadUInt32BigEndian(block[(t * 4)..]);
        }

        for (var t = 16; t < 64; t++)
        {
            var s0 = BitOperations.RotateRight(w[t - 15], 7) ^ BitOperations.RotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3);
            var s1 = BitOperations.RotateRight(w[t - 2], 17) ^ BitOperations.RotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }

        uint a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (var t = 0; t < 64; t++)
        {
            var sum1 = BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25);
            var choose = (e & f) ^ (~e & g);
            var t1 = hh + sum1 + choose + K[t] + w[t];
            var sum0 = BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22);
            var majority = (a & b) ^ (a & c) ^ (b & c);
            var t2 = sum0 + majority;
            hh = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }

        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
        h[5] += f;
        h[6] += g;
        h[7] += hh;
    }

    /// <summary>The eight working words H0..H7, kept inline so that a hash never allocates.</summary>
    [System.Runtime.CompilerServices.InlineArray(8)]
    private struct State
    {
        private uint element;
    }

    /// <summary>One block of message not yet compressed.</summary>
    [System.Runtime.CompilerServices.InlineArray(BlockSizeInBytes)]
    private struct Block
    {
        private byte element;
    }
}
