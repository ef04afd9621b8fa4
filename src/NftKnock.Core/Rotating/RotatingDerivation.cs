using System.Buffers.Binary;
using System.Text;
using NftKnock.Core.Crypto;
using NftKnock.Core.Model;

namespace NftKnock.Core.Rotating;

/// <summary>
/// The one derivation of a rotating door's knocks, used by the server (to fill its sets) and the
/// client (to knock). Specified in docs/rotating.md; tests/vectors/rotating.json pins it.
/// </summary>
public static class RotatingDerivation
{
    /// <summary>The version tag that starts every HMAC message; a new derivation gets a new tag.</summary>
    public const string Version = "nftknock/rotating/v1";

    /// <summary>The shortest secret accepted, in bytes.</summary>
    public const int MinSecretBytes = 32;

    /// <summary>Bytes of token each UDP knock carries as its payload.</summary>
    public const int TokenBytes = 8;

    private const byte TokenLabel = (byte)'T';
    private const byte PortLabel = (byte)'P';
    private const int MaxDraws = 100_000;

    /// <summary>The window that <paramref name="now"/> falls in: whole periods since the Unix epoch.</summary>
    public static long Window(DateTimeOffset now, TimeSpan period) =>
        FloorDiv(now.ToUnixTimeMilliseconds(), PeriodMs(period));

    /// <summary>The instant window <paramref name="window"/> starts.</summary>
    public static DateTimeOffset WindowStart(long window, TimeSpan period) =>
        DateTimeOffset.FromUnixTimeMilliseconds(window * PeriodMs(period));

    /// <summary>The knocks of <paramref name="window"/>: distinct ports that the spec allows, each with its token.</summary>
    public static IReadOnlyList<RotatingKnock> Knocks(ReadOnlySpan<byte> secret, RotatingSpec spec, long window)
    {
        if (secret.Length < MinSecretBytes)
        {
            throw new ArgumentException($"A rotating secret needs at least {MinSecretBytes} bytes.", nameof(secret));
        }

        var prefix = Prefix(spec.Door, window);
        var span = (uint)(spec.Ports.Last - spec.Ports.First + 1);

        // Rejection sampling keeps every port of the range equally likely.
        var limit = (uint)(((1UL << 32) / span) * span);
        var knocks = new List<RotatingKnock>(spec.Knocks);
        var message = new byte[prefix.Length + 6];
        prefix.CopyTo(message, 0);
        var hmac = new HmacSha256(secret);
        Span<byte> mac = stackalloc byte[HmacSha256.HashSizeInBytes];
        for (var k = 1; k <= spec.Knocks; k++)
        {
            message[prefix.Length] = TokenLabel;
            message[prefix.Length + 1] = (byte)k;
            hmac.Compute(message.AsSpan(0, prefix.Length + 2), mac);
            var token = BinaryPrimitives.ReadUInt64BigEndian(mac);

            message[prefix.Length] = PortLabel;
            var port = 0;
            for (uint draw = 0; port == 0; draw++)
            {
                if (draw == MaxDraws)
                {
                    throw new InvalidOperationException($"The ports {spec.Ports} leave too few free ports for {spec.Knocks} knocks.");
                }

                BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(prefix.Length + 2), draw);
                hmac.Compute(message, mac);
                var value = BinaryPrimitives.ReadUInt32BigEndian(mac);
                if (value >= limit)
                {
                    continue;
                }

                var candidate = spec.Ports.First + (int)(value % span);
                if (spec.Allows(candidate) && !knocks.Exists(x => x.Port == candidate))
                {
                    port = candidate;
                }
            }

            knocks.Add(new RotatingKnock(port, token));
        }

        return knocks;
    }

    private static byte[] Prefix(string door, long window)
    {
        var version = Encoding.ASCII.GetBytes(Version);
        var name = Encoding.UTF8.GetBytes(door);
        var prefix = new byte[version.Length + 1 + name.Length + 1 + 8];
        version.CopyTo(prefix, 0);
        name.CopyTo(prefix, version.Length + 1);
        BinaryPrimitives.WriteInt64BigEndian(prefix.AsSpan(prefix.Length - 8), window);
        return prefix;
    }

    private static long PeriodMs(TimeSpan period)
    {
        var ms = (long)period.TotalMilliseconds;
        return ms > 0 ? ms : throw new ArgumentOutOfRangeException(nameof(period), "A period must be at least 1 ms.");
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}

/// <summary>One rotating knock: a UDP datagram to <see cref="Port"/> whose payload is <see cref="Token"/>, big-endian.</summary>
public readonly record struct RotatingKnock(int Port, ulong Token)
{
    /// <summary>The 8 payload bytes, as nft's <c>@th,64,64</c> reads them.</summary>
    public byte[] Payload()
    {
        var bytes = new byte[RotatingDerivation.TokenBytes];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, Token);
        return bytes;
    }

    /// <summary>The token as nft writes it, <c>0x0123456789abcdef</c>.</summary>
    public string TokenHex => $"0x{Token:x16}";
}
