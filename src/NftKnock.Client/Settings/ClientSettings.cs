using System.Globalization;
using NftKnock.Client.Knocking;
using NftKnock.Client.Network;
using NftKnock.Client.Profiles;
using NftKnock.Core.Model;

namespace NftKnock.Client.Settings;

/// <summary>
/// The merge of defaults, the host's profile and the command line (in that order of strength), with
/// the one-line errors for bad values. Free of System.CommandLine and reflection: connect's quick
/// path runs it without loading them.
/// </summary>
public static class ClientSettings
{
    /// <summary>
    /// Checks <paramref name="args"/> and <paramref name="stepTexts"/>, reads the profiles through
    /// <paramref name="loadProfiles"/> (given <see cref="ClientArgs.Profiles"/>; null when the file is
    /// unusable, after it said why) and merges everything for <paramref name="host"/>. Null after
    /// saying the first problem on <paramref name="error"/> (a usage error, exit 2).
    /// </summary>
    public static ClientTarget? Resolve(
        ClientArgs args,
        string host,
        IReadOnlyList<string> stepTexts,
        Func<string?, LoadedProfiles?> loadProfiles,
        Action<string> error)
    {
        if (args.IPv4 && args.IPv6)
        {
            error(ClientTexts.BothFamilies);
            return null;
        }

        var steps = new List<Step>(stepTexts.Count);
        foreach (var text in stepTexts)
        {
            if (!Step.TryParse(text, out var step))
            {
                error(ClientTexts.BadStep(text));
                return null;
            }

            steps.Add(step);
        }

        if (loadProfiles(args.Profiles) is not { } profiles)
        {
            return null;
        }

        var profile = profiles.Set.Find(host);
        var sequence = steps.Count > 0 ? new StaticSequence(steps) : profile?.Sequence;
        if (sequence is null)
        {
            error(ClientTexts.NoSteps(host, profiles.Path ?? ProfilePaths.FileName));
            return null;
        }

        var family = args.IPv4 ? Families.IPv4
            : args.IPv6 ? Families.IPv6
            : profile?.Family ?? Families.Both;
        var policy = profile?.Apply(RetryPolicy.Default) ?? RetryPolicy.Default;
        if (Override(args, policy, error) is not { } merged)
        {
            return null;
        }

        if (profile?.Address is null && HostAddress.Problem(host) is { } problem)
        {
            error(ClientTexts.Problem(problem.Text));
            return null;
        }

        var request = new KnockRequest(profile?.Address ?? host, sequence, family, merged);
        return new ClientTarget(host, request, profile, profile?.Port);
    }

    /// <summary>Parses a port argument; says why and gives null when it is not one.</summary>
    public static int? ServicePort(string text, Action<string> error)
    {
        if (Port.TryParse(text, out var port))
        {
            return port;
        }

        error(ClientTexts.BadPort(text));
        return null;
    }

    private static RetryPolicy? Override(ClientArgs args, RetryPolicy policy, Action<string> error)
    {
        if (args.Attempts is { } attemptsText)
        {
            if (!int.TryParse(attemptsText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || !ClientLimits.AttemptsAllowed(n))
            {
                error(ClientTexts.BadOption("--attempts", attemptsText, $"a whole number from {ClientLimits.MinAttempts.ToString(CultureInfo.InvariantCulture)} to {ClientLimits.MaxAttempts.ToString(CultureInfo.InvariantCulture)}"));
                return null;
            }

            policy = policy with { Attempts = n };
        }

        if (!TryDuration(args.Gap, "--gap", ClientLimits.Gap, error, out var gap)
            || !TryDuration(args.ConnectTimeout, "--connect-timeout", ClientLimits.ConnectTimeout, error, out var connectTimeout)
            || !TryDuration(args.BackOff, "--back-off", ClientLimits.BackOff, error, out var backOff))
        {
            return null;
        }

        return policy with
        {
            Gap = gap ?? policy.Gap,
            ConnectTimeout = connectTimeout ?? policy.ConnectTimeout,
            BackOff = backOff ?? policy.BackOff,
        };
    }

    private static bool TryDuration(string? text, string name, DurationLimit limit, Action<string> error, out TimeSpan? value)
    {
        value = null;
        if (text is null)
        {
            return true;
        }

        if (!Duration.TryParse(text, out var parsed) || !limit.Contains(parsed))
        {
            error(ClientTexts.BadOption(name, text, $"a duration from {Duration.Format(limit.Min)} to {Duration.Format(limit.Max)}, like 500ms or 2s"));
            return false;
        }

        value = parsed;
        return true;
    }
}
