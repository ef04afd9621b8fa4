using NftKnock.Core.Diagnostics;

namespace NftKnock.Core.Yaml;

/// <summary>
/// A mapping opened against a fixed set of keys: unknown and repeated keys are reported once, when
/// it is opened, and values are fetched by key with their shape checked.
/// </summary>
public sealed class MappingView
{
    private readonly Dictionary<string, YamlNode> values = new(StringComparer.Ordinal);
    private readonly DiagnosticBag bag;

    private MappingView(YamlMapping node, string path, DiagnosticBag bag)
    {
        Node = node;
        Path = path;
        this.bag = bag;
    }

    /// <summary>The mapping itself.</summary>
    public YamlMapping Node { get; }

    /// <summary>The YAML path of the mapping, empty at the root.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens <paramref name="node"/> as a mapping with the given keys, or reports that it is not one
    /// and returns null. <paramref name="name"/> names the mapping in a sentence ("The door 'ssh'").
    /// </summary>
    public static MappingView? Open(YamlNode node, string path, string name, IReadOnlyList<string> keys, DiagnosticBag bag)
    {
        if (node is not YamlMapping mapping)
        {
            bag.Error(Messages.WrongShape(name, $"a mapping with the keys {string.Join(", ", keys)}"), path, node);
            return null;
        }

        var view = new MappingView(mapping, path, bag);
        foreach (var (key, value) in mapping.Entries)
        {
            if (!keys.Contains(key.Value))
            {
                bag.Error(Messages.UnknownKey(key.Value, keys), view.Child(key.Value), key);
            }
            else if (!view.values.TryAdd(key.Value, value))
            {
                bag.Error(Messages.DuplicateKey(key.Value), view.Child(key.Value), key);
            }
        }

        return view;
    }

    /// <summary>The YAML path of a key in this mapping.</summary>
    public string Child(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>The node under <paramref name="key"/>, or null when absent.</summary>
    public YamlNode? Get(string key) => values.GetValueOrDefault(key);

    /// <summary>The scalar under <paramref name="key"/>; reports a wrong shape and gives null.</summary>
    public YamlScalar? Scalar(string key)
    {
        var node = Get(key);
        if (node is null or YamlScalar)
        {
            return (YamlScalar?)node;
        }

        bag.Error(Messages.WrongShape($"'{key}'", "a single value"), Child(key), node);
        return null;
    }

    /// <summary>
    /// The scalars of the list under <paramref name="key"/> (a lone scalar counts as a list of
    /// one); null when absent or of the wrong shape.
    /// </summary>
    public IReadOnlyList<YamlScalar>? ScalarList(string key)
    {
        switch (Get(key))
        {
            case null:
                return null;
            case YamlScalar one:
                return [one];
            case YamlSequence sequence:
                var items = new List<YamlScalar>();
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    if (sequence.Items[i] is YamlScalar item)
                    {
                        items.Add(item);
                    }
                    else
                    {
                        bag.Error(Messages.WrongShape($"'{key}[{i}]'", "a single value"), $"{Child(key)}[{i}]", sequence.Items[i]);
                    }
                }

                return items;
            case var other:
                bag.Error(Messages.WrongShape($"'{key}'", "a list"), Child(key), other);
                return null;
        }
    }

    /// <summary>A true/false value, <paramref name="fallback"/> when absent.</summary>
    public bool Boolean(string key, bool fallback)
    {
        var scalar = Scalar(key);
        switch (scalar?.Value.ToLowerInvariant())
        {
            case null:
                return fallback;
            case "true" or "yes" or "on":
                return true;
            case "false" or "no" or "off":
                return false;
            default:
                bag.Error(Messages.BadBoolean(key, scalar.Value), Child(key), scalar);
                return fallback;
        }
    }

    /// <summary>Reads a value from its text: true with the value, or false for text that is not one.</summary>
    public delegate bool ValueParser<T>(string text, out T value);

    /// <summary>
    /// The value <paramref name="parse"/> reads from the key's text; null when absent, or after reporting
    /// <paramref name="problem"/>'s message for text it does not read.
    /// </summary>
    public T? Parsed<T>(string key, ValueParser<T> parse, Func<string, Message> problem)
        where T : struct
    {
        if (Scalar(key) is not { } scalar)
        {
            return null;
        }

        if (parse(scalar.Value, out var value))
        {
            return value;
        }

        bag.Error(problem(scalar.Value), Child(key), scalar);
        return null;
    }

    /// <summary>
    /// A duration like <c>2s</c> within [<paramref name="min"/>, <paramref name="max"/>]; null when
    /// absent, or after reporting a value that does not parse or is out of range.
    /// </summary>
    public TimeSpan? Duration(string key, TimeSpan min, TimeSpan max)
    {
        if (Scalar(key) is not { } scalar)
        {
            return null;
        }

        if (!Model.Duration.TryParse(scalar.Value, out var value))
        {
            bag.Error(Messages.BadDuration(scalar.Value), Child(key), scalar);
            return null;
        }

        if (value < min || value > max)
        {
            bag.Error(Messages.DurationRange(key, scalar.Value, Model.Duration.Format(min), Model.Duration.Format(max)), Child(key), scalar);
            return null;
        }

        return value;
    }

    /// <summary>One of <paramref name="choices"/> (case-insensitive), <paramref name="fallback"/> when absent.</summary>
    public T Choice<T>(string key, T fallback, params (string Word, T Value)[] choices)
    {
        var scalar = Scalar(key);
        if (scalar is null)
        {
            return fallback;
        }

        foreach (var (word, value) in choices)
        {
            if (string.Equals(word, scalar.Value, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        var words = choices.Select(c => c.Word).ToList();
        var text = words.Count == 2 ? $"{words[0]} or {words[1]}" : $"{string.Join(", ", words[..^1])} or {words[^1]}";
        bag.Error(Messages.BadChoice(key, scalar.Value, text), Child(key), scalar);
        return fallback;
    }
}
