using System.Globalization;
using NftKnock.Core.Rotating;
using NftKnock.Core.Model;

namespace NftKnock.Client;

/// <summary>Client sentences about rotating doors.</summary>
public static partial class ClientTexts
{
    /// <summary>Every window was tried and none opened: the likeliest cause is the clock.</summary>
    public static string ClockLooksWrong(DateTimeOffset now, TimeSpan period) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"nftknock: the door stayed closed for the previous, current and next windows. If this machine's clock (it reads {now.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC) is more than one period ({Duration.Format(period)}) off the server's, fix it (enable NTP).");

    /// <summary>A secret that is not usable, with where it came from.</summary>
    public static string BadSecret(string where, RotatingSecret.Problem problem) => problem switch
    {
        RotatingSecret.Problem.TooShort => $"nftknock: the secret in {where} is shorter than 32 bytes. Copy the server's secret file exactly.",
        _ => $"nftknock: the secret in {where} is not one line of base64. Copy the server's secret file exactly.",
    };
}
