using System.Buffers.Text;
using System.Text;

namespace NftKnock.Server.Nftables;

/// <summary>Reading a string that nft escaped: JSON's escapes and <c>\u</c> code units.</summary>
internal ref partial struct JsonScanner
{
    private static string Unescape(ReadOnlySpan<byte> raw)
    {
        var text = new StringBuilder(raw.Length);
        var i = 0;
        while (i < raw.Length)
        {
            var run = raw[i..].IndexOf((byte)'\\');
            if (run < 0)
            {
                text.Append(Encoding.UTF8.GetString(raw[i..]));
                break;
            }

            text.Append(Encoding.UTF8.GetString(raw.Slice(i, run)));
            i += run + 1;
            if (i >= raw.Length)
            {
                throw new FormatException("nft -j output has a string that ends in a backslash");
            }

            var e = raw[i++];
            switch (e)
            {
                case (byte)'u' when i + 4 <= raw.Length && Utf8Parser.TryParse(raw.Slice(i, 4), out ushort code, out var used, 'X') && used == 4:
                    text.Append((char)code);
                    i += 4;
                    break;
                case (byte)'b':
                    text.Append('\b');
                    break;
                case (byte)'f':
                    text.Append('\f');
                    break;
                case (byte)'n':
                    text.Append('\n');
                    break;
                case (byte)'r':
                    text.Append('\r');
                    break;
                case (byte)'t':
                    text.Append('\t');
                    break;
                case (byte)'"' or (byte)'\\' or (byte)'/':
                    text.Append((char)e);
                    break;
                default:
                    throw new FormatException("nft -j output has a string with an unknown escape");
            }
        }

        return text.ToString();
    }
}
