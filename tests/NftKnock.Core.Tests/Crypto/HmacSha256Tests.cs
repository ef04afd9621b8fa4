using System.Text;
using NftKnock.Core.Crypto;

namespace NftKnock.Core.Tests.Crypto;

/// <summary>The managed HMAC-SHA256 against RFC 4231's test cases and the runtime's own HMAC.</summary>
public class HmacSha256Tests
{
    private const string Truncated = "Test With Truncation";

    private const string LongKeyAndData =
        "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.";

    public static TheoryData<string, string, string> Rfc4231() => new()
    {
        { "1", Hex(Repeat(0x0b, 20)), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        { "2", Hex("Jefe"u8.ToArray()), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        { "3", Hex(Repeat(0xaa, 20)), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
        { "4", Hex([.. Enumerable.Range(1, 25).Select(i => (byte)i)]), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
        { "5", Hex(Repeat(0x0c, 20)), "a3b6167473100ee06e0c796c2955552b" },
        { "6", Hex(Repeat(0xaa, 131)), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
        { "7", Hex(Repeat(0xaa, 131)), "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
    };

    [Theory]
    [MemberData(nameof(Rfc4231))]
    public void Mac_matches_RFC_4231_test_case(string testCase, string keyHex, string expect)
    {
        var mac = new byte[HmacSha256.HashSizeInBytes];

        HmacSha256.HashData(Convert.FromHexString(keyHex), Data(testCase), mac);

        // Test case 5 checks the first 128 bits only.
        Hex(mac)[..expect.Length].ShouldBe(expect);
    }

    [Fact]
    public void Every_key_and_message_length_across_the_block_edges_matches_the_runtime_HMAC()
    {
        var bytes = Enumerable.Range(0, 200).Select(i => (byte)((i * 37) + 11)).ToArray();
        var mac = new byte[HmacSha256.HashSizeInBytes];
        foreach (var keyLength in new[] { 0, 1, 32, 63, 64, 65, 129 })
        {
            for (var length = 0; length <= 150; length++)
            {
                var key = bytes.AsSpan(0, keyLength);
                var message = bytes.AsSpan(50, length);
                HmacSha256.HashData(key, message, mac);
                Hex(mac).ShouldBe(Hex(System.Security.Cryptography.HMACSHA256.HashData(key, message)), $"key {keyLength}, message {length}");
            }
        }
    }

    [Fact]
    public void One_key_serves_many_messages_each_as_if_alone()
    {
        // Rotate makes the MAC once per secret and window, then computes a dozen knocks with it: a MAC
        // must not carry anything from one message into the next.
        var bytes = Enumerable.Range(0, 200).Select(i => (byte)((i * 53) + 7)).ToArray();
        var mac = new byte[HmacSha256.HashSizeInBytes];
        foreach (var keyLength in new[] { 32, 65 })
        {
            var key = bytes.AsSpan(0, keyLength);
            var hmac = new HmacSha256(key);
            foreach (var length in new[] { 36, 0, 120, 40, 64, 36 })
            {
                var message = bytes.AsSpan(70, length);
                hmac.Compute(message, mac);
                Hex(mac).ShouldBe(Hex(System.Security.Cryptography.HMACSHA256.HashData(key, message)), $"key {keyLength}, message {length}");
            }
        }
    }

    private static byte[] Data(string testCase) => testCase switch
    {
        "1" => "Hi There"u8.ToArray(),
        "2" => "what do ya want for nothing?"u8.ToArray(),
        "3" => Repeat(0xdd, 50),
        "4" => Repeat(0xcd, 50),
        "5" => Encoding.ASCII.GetBytes(Truncated),
        "6" => "Test Using Larger Than Block-Size Key - Hash Key First"u8.ToArray(),
        _ => Encoding.ASCII.GetBytes(LongKeyAndData),
    };

    private static byte[] Repeat(byte value, int count) => Enumerable.Repeat(value, count).ToArray();

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
