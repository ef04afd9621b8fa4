using System.Text;
using QRCoder;

namespace NftKnock.Cli.Enrolment;

/// <summary>
/// A QR code drawn with half blocks, two modules a character, quiet zone included. Light modules are
/// drawn and dark ones left blank, so on the usual dark terminal the code shows dark on light, as a
/// phone camera expects.
/// </summary>
internal static class QrText
{
    /// <summary>The modules of <paramref name="text"/>'s code, error correction M, with its four-module quiet zone; true is dark.</summary>
    public static bool[][] Modules(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M, forceUtf8: false);
        return data.ModuleMatrix.Select(row => Enumerable.Range(0, row.Length).Select(i => row[i]).ToArray()).ToArray();
    }

    /// <summary>The code as lines of text, each character two modules high.</summary>
    public static string Render(string text)
    {
        var modules = Modules(text);
        var drawn = new StringBuilder();
        for (var y = 0; y < modules.Length; y += 2)
        {
            for (var x = 0; x < modules[y].Length; x++)
            {
                var top = !modules[y][x];
                var bottom = y + 1 < modules.Length ? !modules[y + 1][x] : false;
                drawn.Append((top, bottom) switch
                {
                    (true, true) => '\u2588',
                    (true, false) => '\u2580',
                    (false, true) => '\u2584',
                    _ => ' ',
                });
            }

            drawn.Append('\n');
        }

        return drawn.ToString();
    }
}
