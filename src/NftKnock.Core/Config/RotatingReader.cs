using System.Globalization;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;
using NftKnock.Core.Rotating;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Yaml;

namespace NftKnock.Core.Config;

/// <summary>A rotating section as read, with positions for the cross-checks.</summary>
internal sealed record ParsedRotating(RotatingDoor Model, YamlNode PortsNode, string PortsPath);

/// <summary>Reads a door's <c>rotating:</c> section and its secret files; clients' profiles share the derivation keys.</summary>
public static class RotatingReader
{
    internal static readonly string[] Keys = ["secret-file", "clients", "knocks", "period", "ports", "exclude"];
    internal static readonly string[] ClientKeys = ["name", "secret-file", "grant-prefix", .. LimitReader.Keys];

    private static readonly TimeSpan MinPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxPeriod = TimeSpan.FromHours(1);
    private static readonly TimeSpan ShortPeriod = TimeSpan.FromSeconds(10);

    /// <summary>Reads the section; a client's <c>grant-prefix</c> falls back to <paramref name="grantPrefix"/>, the door's, for a family it leaves out.</summary>
    internal static ParsedRotating? Read(string door, YamlNode node, string path, GrantPrefix grantPrefix, ReadContext context)
    {
        var bag = context.Bag;
        var view = MappingView.Open(node, path, "rotating", Keys, bag);
        if (view is null)
        {
            return null;
        }

        var spec = ReadSpec(view, door, node, bag);
        var clients = ReadClients(door, view, node, grantPrefix, context);
        var model = new RotatingDoor(spec.Knocks, spec.Period, spec.Ports, spec.Exclude, clients) { HasClients = view.Get("clients") is not null };
        return new ParsedRotating(model, view.Get("ports") ?? node, view.Child("ports"));
    }

    /// <summary>
    /// Reads the keys both sides must agree on (knocks, period, ports, exclude) from <paramref name="view"/>,
    /// with the same defaults and checks on the server and in client profiles.
    /// </summary>
    public static RotatingSpec ReadSpec(MappingView view, string door, YamlNode at, DiagnosticBag bag)
    {
        var knocks = ReadKnocks(view, bag);
        var period = ReadPeriod(view, bag);
        var ports = RotatingDoor.DefaultPorts;
        if (view.Scalar("ports") is { } portsNode)
        {
            if (PortRange.TryParse(portsNode.Value, Protocol.Udp, out var parsed) && parsed.Protocol == Protocol.Udp)
            {
                ports = parsed;
            }
            else
            {
                bag.Error(Messages.BadPorts(portsNode.Value), view.Child("ports"), portsNode);
            }
        }

        var exclude = new List<PortRange>();
        foreach (var item in view.ScalarList("exclude") ?? [])
        {
            if (PortRange.TryParse(item.Value, Protocol.Udp, out var range))
            {
                exclude.Add(range with { Protocol = Protocol.Udp });
            }
            else
            {
                bag.Error(Messages.BadExclude(item.Value), view.Child("exclude"), item);
            }
        }

        var spec = new RotatingSpec(door, knocks, period, ports, exclude);
        if (spec.FreePorts < Messages.MinFreePorts)
        {
            bag.Error(Messages.TooFewPorts(ports.PortsText, spec.FreePorts), view.Child("ports"), view.Get("ports") ?? at);
        }

        return spec;
    }

    private static int ReadKnocks(MappingView view, DiagnosticBag bag)
    {
        if (view.Scalar("knocks") is not { } node)
        {
            return RotatingDoor.DefaultKnocks;
        }

        if (int.TryParse(node.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var knocks) && knocks is >= 1 and <= Step.MaxPerSequence)
        {
            return knocks;
        }

        bag.Error(Messages.BadKnocks(node.Value), view.Child("knocks"), node);
        return RotatingDoor.DefaultKnocks;
    }

    private static TimeSpan ReadPeriod(MappingView view, DiagnosticBag bag)
    {
        if (view.Duration("period", MinPeriod, MaxPeriod) is not { } period)
        {
            return RotatingDoor.DefaultPeriod;
        }

        if (period < ShortPeriod)
        {
            bag.Warning(Messages.ShortPeriod(view.Scalar("period")!.Value), view.Child("period"), view.Get("period"));
        }

        return period;
    }

    private static List<RotatingClient> ReadClients(string door, MappingView view, YamlNode node, GrantPrefix grantPrefix, ReadContext context)
    {
        var bag = context.Bag;
        var clients = new List<RotatingClient>();
        var single = view.Scalar("secret-file");
        var list = view.Get("clients");
        if (single is not null && list is not null)
        {
            bag.Error(Messages.SecretAndClients(), view.Child("clients"), list);
            return clients;
        }

        if (single is not null)
        {
            clients.Add(new RotatingClient(door, single.Value, Secret(single, view.Child("secret-file"), context)));
            return clients;
        }

        if (list is null)
        {
            bag.Error(Messages.NoSecret(), view.Path, node);
            return clients;
        }

        if (list is not YamlSequence { Items.Count: > 0 } sequence)
        {
            bag.Error(Messages.WrongShape("clients", "a list of {name, secret-file} entries"), view.Child("clients"), list);
            return clients;
        }

        return ReadClientList(sequence, view.Child("clients"), grantPrefix, context);
    }

    /// <summary>The entries of <c>clients:</c>: each named once, with a secret file of its own.</summary>
    private static List<RotatingClient> ReadClientList(YamlSequence sequence, string listPath, GrantPrefix grantPrefix, ReadContext context)
    {
        var bag = context.Bag;
        var clients = new List<RotatingClient>();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var path = $"{listPath}[{i}]";
            var entry = MappingView.Open(sequence.Items[i], path, "a client", ClientKeys, bag);
            if (entry is null)
            {
                continue;
            }

            var name = entry.Scalar("name");
            var file = entry.Scalar("secret-file");
            if (name is null || file is null)
            {
                var missing = name is null ? "name" : "secret-file";
                var example = name is null ? "alice" : "/etc/nftknock/alice.secret";
                bag.Error(Messages.MissingKey("The client", missing, example), path, sequence.Items[i]);
                continue;
            }

            if (!NftText.IsClientName(name.Value))
            {
                bag.Error(Messages.BadClientName(name.Value), entry.Child("name"), name);
            }
            else if (clients.Exists(c => c.Name == name.Value))
            {
                bag.Error(Messages.DuplicateClient(name.Value), entry.Child("name"), name);
                continue;
            }

            if (files.TryGetValue(file.Value, out var other))
            {
                bag.Error(Messages.SharedSecret(file.Value, other), entry.Child("secret-file"), file);
                continue;
            }

            files[file.Value] = name.Value;
            clients.Add(ReadClient(entry, name.Value, file, grantPrefix, context));
        }

        return clients;
    }

    /// <summary>
    /// Builds one entry of <c>clients:</c> whose name and secret file are known. A new client key is
    /// named in <see cref="ClientKeys"/>, read here into <see cref="RotatingClient"/>, and documented.
    /// </summary>
    private static RotatingClient ReadClient(MappingView entry, string name, YamlScalar file, GrantPrefix grantPrefix, ReadContext context) =>
        new(name, file.Value, Secret(file, entry.Child("secret-file"), context))
        {
            GrantPrefix = GrantReader.Prefix(entry, grantPrefix, context.Bag),
            Limit = LimitReader.Read(entry, context),
        };

    private static ReadOnlyMemory<byte> Secret(YamlScalar file, string path, ReadContext context) =>
        context.Secrets is { } secrets ? ReadSecretFile(file, path, secrets, context.Bag, unsafeIsError: true) : ReadOnlyMemory<byte>.Empty;

    /// <summary>
    /// Reads and checks one secret file; reports problems at <paramref name="file"/>'s line and gives an empty secret.
    /// An unsafe file is an error on the server (<paramref name="unsafeIsError"/>), where it decides who gets in,
    /// and a warning in a client's profile.
    /// </summary>
    public static byte[] ReadSecretFile(YamlScalar file, string path, SecretReader secrets, DiagnosticBag bag, bool unsafeIsError)
    {
        var content = secrets(file.Value);
        if (content.Unsafe is { } reason && unsafeIsError)
        {
            bag.Error(Messages.SecretUnsafe(file.Value, reason), path, file);
            return [];
        }

        if (content.Text is null)
        {
            bag.Error(Messages.SecretUnreadable(file.Value, content.Unreadable ?? "unknown error"), path, file);
            return [];
        }

        switch (RotatingSecret.TryParse(content.Text, out var secret))
        {
            case RotatingSecret.Problem.NotBase64:
                bag.Error(Messages.SecretNotBase64(file.Value), path, file);
                break;
            case RotatingSecret.Problem.TooShort:
                bag.Error(Messages.SecretTooShort(file.Value), path, file);
                break;
            default:
                if (content.Unsafe is { } exposed)
                {
                    bag.Warning(Messages.SecretExposed(file.Value, exposed), path, file);
                }

                break;
        }

        return secret;
    }
}
