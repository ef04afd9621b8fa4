using NftKnock.Client.Knocking;
using NftKnock.Client.Settings;
using NftKnock.Core.Config;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;
using NftKnock.Core.Yaml;

namespace NftKnock.Client.Profiles;

/// <summary>Profiles read from a file: the hosts, or null when an error makes the file unusable, and every diagnostic.</summary>
public sealed record ProfileResult(ProfileSet? Profiles, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>
/// Reads <c>client.yaml</c> with the same care as the server config: every problem at once, each
/// with its line, value and fix. Uses the event-parser tree, not reflection, for a fast cold start.
/// </summary>
public static partial class ProfileReader
{
    internal static readonly string[] RootKeys = ["hosts"];

    internal static readonly string[] HostKeys =
        ["address", "sequence", "rotating", "port", "family", "attempts", "gap", "connect-timeout", "back-off"];

    /// <summary>Reads the YAML text of a profiles file; a rotating host's <c>secret-file:</c> is not read.</summary>
    public static ProfileResult Read(string text) => Read(text, null);

    /// <summary>
    /// Reads the YAML text of a profiles file; <paramref name="secrets"/> reads rotating hosts' secret files.
    /// <paramref name="fileUnsafe"/> says why the profiles file itself is unsafe (others can read it), if it is:
    /// then every inline <c>secret:</c> draws a warning.
    /// </summary>
    public static ProfileResult Read(string text, SecretReader? secrets, string? fileUnsafe = null)
    {
        var bag = new DiagnosticBag();
        if (YamlTree.ParseReporting(text, bag, "a hosts: map, like hosts: {bastion.example.org: {sequence: [7000/udp, 8000/tcp, 9000/udp]}}") is not { } root)
        {
            return new ProfileResult(null, bag.Items);
        }

        var view = MappingView.Open(root, string.Empty, "The profiles file", RootKeys, bag);
        var hosts = new List<HostProfile>();
        if (view is not null)
        {
            ReadHosts(view, hosts, secrets, fileUnsafe, bag);
        }

        return new ProfileResult(bag.HasErrors ? null : new ProfileSet(hosts), bag.Items);
    }

    private static void ReadHosts(MappingView root, List<HostProfile> hosts, SecretReader? secrets, string? fileUnsafe, DiagnosticBag bag)
    {
        var node = root.Get("hosts");
        if (node is null)
        {
            bag.Error(Messages.MissingKey("The profiles file", "hosts", "{bastion.example.org: {sequence: [7000/udp, 8000/tcp, 9000/udp]}}"), string.Empty, root.Node);
            return;
        }

        if (node is YamlScalar { Value: "", Plain: true })
        {
            return;
        }

        if (node is not YamlMapping mapping)
        {
            bag.Error(Messages.WrongShape("'hosts'", "a mapping from host names to profiles"), "hosts", node);
            return;
        }

        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, body) in mapping.Entries)
        {
            var path = $"hosts.{key.Value}";
            if (!HostPattern.IsValid(key.Value))
            {
                bag.Error(ClientTexts.BadHostPattern(key.Value), path, key);
                continue;
            }

            if (!seen.TryAdd(key.Value, key.Line))
            {
                bag.Error(ClientTexts.DuplicateHost(key.Value, seen[key.Value]), path, key);
                continue;
            }

            if (ReadHost(key, body, path, secrets, fileUnsafe, bag) is { } profile)
            {
                hosts.Add(profile);
            }
        }
    }

    private static HostProfile? ReadHost(YamlScalar name, YamlNode body, string path, SecretReader? secrets, string? fileUnsafe, DiagnosticBag bag)
    {
        var view = MappingView.Open(body, path, $"The host '{name.Value}'", HostKeys, bag);
        if (view is null)
        {
            return null;
        }

        var address = ReadAddress(view, bag);
        ISequenceSource? sequence = ReadSequence(view, bag);
        if (view.Get("rotating") is { } rotating)
        {
            if (view.Get("sequence") is { } both)
            {
                bag.Error(Messages.HostSequenceAndRotating(name.Value), view.Child("sequence"), both);
            }

            sequence = RotatingProfileReader.Read(rotating, view.Child("rotating"), secrets, bag, fileUnsafe);
        }

        return new HostProfile(
            name.Value,
            address,
            sequence,
            view.Parsed<int>("port", Port.TryParse, ClientTexts.BadProfilePort),
            ReadFamily(view),
            ReadAttempts(view, bag),
            view.Duration("gap", ClientLimits.Gap.Min, ClientLimits.Gap.Max),
            view.Duration("connect-timeout", ClientLimits.ConnectTimeout.Min, ClientLimits.ConnectTimeout.Max),
            view.Duration("back-off", ClientLimits.BackOff.Min, ClientLimits.BackOff.Max));
    }

    /// <summary>The static <c>sequence:</c>; a host has it or <c>rotating:</c>, never both.</summary>
    private static StaticSequence? ReadSequence(MappingView view, DiagnosticBag bag)
    {
        var list = view.ScalarList("sequence");
        if (list is null)
        {
            return null;
        }

        if (list.Count == 0)
        {
            bag.Error(Messages.EmptySequence(), view.Child("sequence"), view.Get("sequence"));
            return null;
        }

        if (list.Count > Step.MaxPerSequence)
        {
            bag.Error(Messages.TooManySteps(list.Count), view.Child("sequence"), view.Get("sequence"));
            return null;
        }

        var steps = new List<Step>(list.Count);
        var ok = true;
        for (var i = 0; i < list.Count; i++)
        {
            var path = $"{view.Child("sequence")}[{i}]";
            if (!Step.TryParse(list[i].Value, out var step))
            {
                bag.Error(Messages.BadStep(list[i].Value), path, list[i]);
                ok = false;
                continue;
            }

            var first = steps.IndexOf(step);
            if (first >= 0)
            {
                bag.Error(Messages.RepeatedStep(step.ToString(), first + 1), path, list[i]);
                ok = false;
                continue;
            }

            steps.Add(step);
        }

        return ok ? new StaticSequence(steps) : null;
    }
}
