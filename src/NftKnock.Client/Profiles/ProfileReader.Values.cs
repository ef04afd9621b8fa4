using System.Globalization;
using NftKnock.Client.Network;
using NftKnock.Client.Settings;
using NftKnock.Core.Model;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Yaml;

namespace NftKnock.Client.Profiles;

/// <summary>The single-value settings of a host entry, each checked with its own message.</summary>
public static partial class ProfileReader
{
    private static string? ReadAddress(MappingView view, DiagnosticBag bag)
    {
        if (view.Scalar("address") is not { } scalar)
        {
            return null;
        }

        var value = scalar.Value.Trim();
        var problem = HostAddress.Problem(value);
        if (problem is null && (Addresses.LooksLikeAddress(value) || Uri.CheckHostName(value) == UriHostNameType.Dns))
        {
            return value;
        }

        bag.Error(problem ?? ClientTexts.BadAddress(scalar.Value), view.Child("address"), scalar);
        return null;
    }

    private static Families? ReadFamily(MappingView view) =>
        view.Get("family") is null
            ? null
            : view.Choice("family", Families.Both, ("ipv4", Families.IPv4), ("ipv6", Families.IPv6), ("any", Families.Both));

    private static int? ReadAttempts(MappingView view, DiagnosticBag bag)
    {
        if (view.Scalar("attempts") is not { } scalar)
        {
            return null;
        }

        if (int.TryParse(scalar.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && ClientLimits.AttemptsAllowed(n))
        {
            return n;
        }

        bag.Error(ClientTexts.BadAttempts(scalar.Value, ClientLimits.MaxAttempts), view.Child("attempts"), scalar);
        return null;
    }
}
