using System.Text;
using NftKnock.Core.Crypto;

namespace NftKnock.Core.Tests.Crypto;

/// <summary>The managed SHA-256 against the FIPS 180-4 / NIST examples and the runtime's own SHA-256.</summary>
public class Sha256Tests
{
    public static TheoryData<string, string> NistVectors() => new()
    {
        { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
        { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
        {
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        },
    };

    [Theory]
    [MemberData(nameof(NistVectors))]
    public void Digest_matches_the_NIST_example(string message, string expect) =>
        Hex(Digest(Encoding.ASCII.GetBytes(message))).ShouldBe(expect);

    [Fact]
    public void Digest_of_a_million_a_matches_the_NIST_example()
    {
        var hash = new Sha256();
        var thousand = Enumerable.Repeat((byte)'a', 1000).ToArray();
        for (var i = 0; i < 1000; i++)
        {
            hash.Append(thousand);
        }

        var digest = new byte[Sha256.HashSizeInBytes];
        hash.Finish(digest);
        Hex(digest).ShouldBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }

    [Fact]
    public void Every_length_across_the_padding_edges_matches_the_runtime_SHA256()
    {
        // Lengths 55, 56 and 64 are where the padding spills into a second block.
        var data = Enumerable.Range(0, 300).Select(i => (byte)((i * 131) + 7)).ToArray();
        for (var length = 0; length <= data.Length; length++)
        {
            var message = data.AsSpan(0, length);
            Hex(Digest(message)).ShouldBe(Hex(System.Security.Cryptography.SHA256.HashData(message)), $"length {length}");
        }
    }

    [Fact]
    public void A_message_appended_in_pieces_hashes_as_if_whole()
    {
        var data = Enumerable.Range(0, 200).Select(i => (byte)(i ^ 0x5a)).ToArray();
        var whole = Hex(Digest(data));
        foreach (var cut in new[] { 0, 1, 55, 63, 64, 65, 128, 199, 200 })
        {
            var hash = new Sha256();
            hash.Append(data.AsSpan(0, cut));
            hash.Append(data.AsSpan(cut));
            var digest = new byte[Sha256.HashSizeInBytes];
            hash.Finish(digest);
            Hex(digest).ShouldBe(whole, $"cut at {cut}");
        }
    }

    private static byte[] Digest(ReadOnlySpan<byte> message)
    {
        var digest = new byte[Sha256.HashSizeInBytes];
        Sha256.HashData(message, digest);
        return digest;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
