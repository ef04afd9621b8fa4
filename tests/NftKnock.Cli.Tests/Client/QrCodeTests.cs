using NftKnock.Cli.Enrolment;
using NftKnock.Core.Links;
using NftKnock.Core.Model;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace NftKnock.Cli.Tests.Client;

/// <summary>The QR code drawn in the terminal decodes back to the link, as a phone camera would read it.</summary>
public class QrCodeTests
{
    [Fact]
    public void The_drawn_code_decodes_to_the_link()
    {
        var link = ClientLink.Rotating("bastion.example.org", 22, RotatingSpec.Default("ssh"), Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray(), "alice", "bastion (alice)").Format();

        Decode(QrText.Render(link)).ShouldBe(link);
    }

    [Fact]
    public void A_long_static_link_decodes_too()
    {
        var steps = Enumerable.Range(0, 16).Select(i => new Step(10000 + (i * 977), i % 2 == 0 ? Protocol.Udp : Protocol.Tcp)).ToList();
        var link = ClientLink.Static("2001:db8::1234:5678", 2222, "vpn", steps, "a rather long label for a phone").Format();

        Decode(QrText.Render(link)).ShouldBe(link);
    }

    /// <summary>
    /// Reads the drawn characters back into modules (a drawn half is light, a blank one dark, as on a dark
    /// terminal), scales each module to 4x4 pixels and decodes the picture with ZXing.
    /// </summary>
    private static string Decode(string drawn)
    {
        var rows = drawn.TrimEnd('\n').Split('\n');
        var width = rows[0].Length;
        var light = new List<bool[]>();
        foreach (var row in rows)
        {
            row.Length.ShouldBe(width);
            light.Add(row.Select(c => c is '\u2588' or '\u2580').ToArray());
            light.Add(row.Select(c => c is '\u2588' or '\u2584').ToArray());
        }

        const int scale = 4;
        var height = light.Count;
        var pixels = new byte[width * scale * height * scale];
        for (var y = 0; y < height * scale; y++)
        {
            for (var x = 0; x < width * scale; x++)
            {
                pixels[(y * width * scale) + x] = light[y / scale][x / scale] ? (byte)255 : (byte)0;
            }
        }

        var source = new RGBLuminanceSource(pixels, width * scale, height * scale, RGBLuminanceSource.BitmapFormat.Gray8);
        var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)));
        result.ShouldNotBeNull();
        return result.Text;
    }
}
