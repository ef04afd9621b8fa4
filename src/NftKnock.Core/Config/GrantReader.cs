using System.Globalization;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;
using NftKnock.Core.Yaml;

namespace NftKnock.Core.Config;

/// <summary>Reads what a grant opens (<c>grant-prefix</c>) and where its log lines go (<c>log-group</c>).</summary>
internal static class GrantReader
{
    internal static readonly string[] PrefixKeys = ["ipv4", "ipv6"];

    /// <summary>Prefixes wider than these warn: one knock would open the door to a large network.</summary>
    private const int WidestIPv4 = 16, WidestIPv6 = 48;

    private const int MaxLogGroup = 65535;

    /// <summary>
    /// The <c>grant-prefix</c> under <paramref name="view"/>, with <paramref name="fallback"/>'s length for a
    /// family it leaves out; null when the key is absent.
    /// </summary>
    public static GrantPrefix? Prefix(MappingView view, GrantPrefix fallback, DiagnosticBag bag)
    {
        if (view.Get("grant-prefix") is not { } node)
        {
            return null;
        }

        if (MappingView.Open(node, view.Child("grant-prefix"), "grant-prefix", PrefixKeys, bag) is not { } prefix)
        {
            return fallback;
        }

        return new GrantPrefix(
            Length(prefix, "ipv4", Families.IPv4, WidestIPv4, fallback.IPv4, bag),
            Length(prefix, "ipv6", Families.IPv6, WidestIPv6, fallback.IPv6, bag));
    }

    private static int Length(MappingView prefix, string key, Families family, int widest, int fallback, DiagnosticBag bag)
    {
        if (prefix.Scalar(key) is not { } node)
        {
            return fallback;
        }

        var max = family.AddressBits();
        if (!int.TryParse(node.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length < 1 || length > max)
        {
            bag.Error(Messages.BadGrantPrefix(key, node.Value, max), prefix.Child(key), node);
            return fallback;
        }

        if (length < widest)
        {
            bag.Warning(Messages.WideGrantPrefix(key, length, widest), prefix.Child(key), node);
        }

        return length;
    }

    /// <summary>The door's <c>log-group</c>, or null when absent or wrong; <paramref name="log"/> is the door's <c>log</c>.</summary>
    public static int? LogGroup(MappingView view, bool log, DiagnosticBag bag)
    {
        if (view.Scalar("log-group") is not { } node)
        {
            return null;
        }

        if (!int.TryParse(node.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var group) || group > MaxLogGroup)
        {
            bag.Error(Messages.BadLogGroup(node.Value), view.Child("log-group"), node);
            return null;
        }

        if (!log)
        {
            bag.Error(Messages.LogGroupWithoutLog(), view.Child("log-group"), node);
        }

        return group;
    }
}
