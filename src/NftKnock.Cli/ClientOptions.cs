using System.CommandLine;
using System.Globalization;
using NftKnock.Client;
using NftKnock.Client.Knocking;
using NftKnock.Client.Network;
using NftKnock.Client.Profiles;
using NftKnock.Core.Model;
using NftKnock.Nftables;

namespace NftKnock.Cli;

/// <summary>A host's settings after the profile and the command line are merged.</summary>
internal sealed record ClientTarget(string Host, KnockRequest Request, HostProfile? Profile, int? Port);

/// <summary>The client options as given on the command line, before any of them is checked.</summary>
internal sealed record ClientArgs(
    bool IPv4 = false,
    bool IPv6 = false,
    string? Attempts = null,
    string? Gap = null,
    string? ConnectTimeout = null,
    string? BackOff = null,
    string? Profiles = null,
    bool Verbose = false);

/// <summary>The options that knock and connect share, as System.CommandLine symbols.</summary>
internal sealed class ClientOptions
{
    private readonly Option<bool> ipv4 = new("-4") { Description = "Use IPv4 only." };
    private readonly Option<bool> ipv6 = new("-6") { Description = "Use IPv6 only." };
    private readonly Option<string?> attempts = new("--attempts") { Description = "Knock-and-connect attempts (default 8, at most 20)." };
    private readonly Option<string?> gap = new("--gap") { Description = "Gap between knocks on the first attempt (default 1ms); each retry adds 25ms and sends every knock twice." };
    private readonly Option<string?> connectTimeout = new("--connect-timeout") { Description = "Connect timeout of the first attempt (default 400ms); each retry adds half of it." };
    private readonly Option<string?> backOff = new("--back-off") { Description = "Pause before the second attempt (default 100ms); each retry adds as much again." };
    private readonly Option<string?> profiles = ProfilesOption();

    /// <summary>The --profiles option, shared with ssh-config.</summary>
    public static Option<string?> ProfilesOption() =>
        new("--profiles") { Description = "The profiles file (default ~/.config/nftknock/client.yaml, %APPDATA%\\nftknock\\client.yaml on Windows)." };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Say on stderr what is sent and when." };

    public void AddTo(Command command)
    {
        command.Add(ipv4);
        command.Add(ipv6);
        command.Add(attempts);
        command.Add(gap);
        command.Add(connectTimeout);
        command.Add(backOff);
        command.Add(profiles);
        command.Add(Verbose);
    }

    /// <summary>The options' values in <paramref name="parse"/>.</summary>
    public ClientArgs Read(ParseResult parse) => new(
        parse.GetValue(ipv4),
        parse.GetValue(ipv6),
        parse.GetValue(attempts),
        parse.GetValue(gap),
        parse.GetValue(connectTimeout),
        parse.GetValue(backOff),
        parse.GetValue(profiles),
        parse.GetValue(Verbose));
}

/// <summary>
/// The merge of defaults, the host's profile and the command line (in that order of strength), with
/// the one-line errors for bad values. Free of System.CommandLine and reflection:
/// connect's quick path runs it without loading them.
/// </summary>
internal static class ClientSettings
{
    /// <summary>Merges everything for <paramref name="host"/>; null after printing a one-line error (exit 2).</summary>
    public static ClientTarget? Resolve(ClientArgs args, string host, IReadOnlyList<string> stepTexts, CliContext context)
    {
        if (args.IPv4 && args.IPv6)
        {
            context.Error.WriteLine(ClientTexts.BothFamilies);
            return null;
        }

        var steps = new List<Step>(stepTexts.Count);
        foreach (var text in stepTexts)
        {
            if (!Step.TryParse(text, out var step))
            {
                context.Error.WriteLine(ClientTexts.BadStep(text));
                return null;
            }

            steps.Add(step);
        }

        if (!LoadProfiles(args.Profiles, context, out var set, out var path))
        {
            return null;
        }

        var profile = set.Find(host);
        var sequence = steps.Count > 0 ? new StaticSequence(steps) : profile?.Sequence;
        if (sequence is null)
        {
            context.Error.WriteLine(ClientTexts.NoSteps(host, path ?? ProfilePaths.FileName));
            return null;
        }

        var family = args.IPv4 ? FamilyPreference.IPv4
            : args.IPv6 ? FamilyPreference.IPv6
            : profile?.Family ?? FamilyPreference.Any;
        var policy = profile?.Apply(RetryPolicy.Default) ?? RetryPolicy.Default;
        if (!Override(args, context, ref policy))
        {
            return null;
        }

        if (profile?.Address is null && HostAddress.Problem(host) is { } problem)
        {
            context.Error.WriteLine($"nftknock: {problem.Text}");
            return null;
        }

        var request = new KnockRequest(profile?.Address ?? host, sequence, family, policy);
        return new ClientTarget(host, request, profile, profile?.Port);
    }

    /// <summary>Parses a port argument; prints the error and gives null when it is not one.</summary>
    public static int? Port(string text, CliContext context)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
        {
            return port;
        }

        context.Error.WriteLine(ClientTexts.BadPort(text));
        return null;
    }

    /// <summary>
    /// Reads the profiles file: <paramref name="given"/> (which must exist), else the default one
    /// when it exists. False after printing why the file is unusable.
    /// </summary>
    public static bool LoadProfiles(string? given, CliContext context, out ProfileSet set, out string? path)
    {
        set = ProfileSet.Empty;
        path = given ?? ProfilePaths.Default(context.Environment, OperatingSystem.IsWindows());
        if (path is null || (given is null && !File.Exists(path)))
        {
            return true;
        }

        if (!FileText.TryRead(path, out var text, out var reason))
        {
            context.Error.WriteLine(ClientTexts.CannotReadProfiles(path, reason));
            return false;
        }

        var result = ProfileReader.Read(text, SecretFiles.Near(path), SecretFileSafety.Problem(path));
        foreach (var diagnostic in result.Diagnostics)
        {
            context.Error.WriteLine(diagnostic.Format(path));
        }

        if (result.Profiles is null)
        {
            return false;
        }

        set = result.Profiles;
        return true;
    }

    private static bool Override(ClientArgs args, CliContext context, ref RetryPolicy policy)
    {
        if (args.Attempts is { } attemptsText)
        {
            if (!int.TryParse(attemptsText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > RetryPolicy.MaxAttempts)
            {
                context.Error.WriteLine(ClientTexts.BadOption("--attempts", attemptsText, $"a whole number from 1 to {RetryPolicy.MaxAttempts.ToString(CultureInfo.InvariantCulture)}"));
                return false;
            }

            policy = policy with { Attempts = n };
        }

        var merged = policy;
        var ok = Duration(args.Gap, "--gap", TimeSpan.Zero, TimeSpan.FromSeconds(2), context, d => merged = merged with { Gap = d })
            && Duration(args.ConnectTimeout, "--connect-timeout", TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1), context, d => merged = merged with { ConnectTimeout = d })
            && Duration(args.BackOff, "--back-off", TimeSpan.Zero, TimeSpan.FromSeconds(30), context, d => merged = merged with { BackOff = d });
        policy = merged;
        return ok;
    }

    private static bool Duration(string? text, string name, TimeSpan min, TimeSpan max, CliContext context, Action<TimeSpan> set)
    {
        if (text is null)
        {
            return true;
        }

        if (!Core.Model.Duration.TryParse(text, out var value) || value < min || value > max)
        {
            context.Error.WriteLine(ClientTexts.BadOption(name, text, $"a duration from {Core.Model.Duration.Format(min)} to {Core.Model.Duration.Format(max)}, like 500ms or 2s"));
            return false;
        }

        set(value);
        return true;
    }
}
