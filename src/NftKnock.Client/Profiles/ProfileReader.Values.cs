using System.Globalization;
using NftKnock.Client.Knocking;
using NftKnock.Client.Network;
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

    private static int? ReadPort(MappingView view, DiagnosticBag bag)
    {
        if (view.Scalar("port") is not { } scalar)
        {
            return null;
        }

        if (int.TryParse(scalar.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
        {
            return port;
        }

        bag.Error(ClientTexts.BadProfilePort(scalar.Value), view.Child("port"), scalar);
        return null;
    }

    private static FamilyPreference? ReadFamily(MappingView view) =>
        view.Get("family") is null
            ? null
            : view.Choice("family", FamilyPreference.Any, ("ipv4", FamilyPreference.IPv4), ("ipv6", FamilyPreference.IPv6), ("any", FamilyPreference.Any));

    private static int? ReadAttempts(MappingView view, DiagnosticBag bag)
    {
        if (view.Scalar("attempts") is not { } scalar)
        {
            return null;
        }

        if (int.TryParse(scalar.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= RetryPolicy.MaxAttempts)
        {
            return n;
        }

        bag.Error(ClientTexts.BadAttempts(scalar.Value, RetryPolicy.MaxAttempts), view.Child("attempts"), scalar);
        return null;
    }
}
