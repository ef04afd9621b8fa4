namespace NftKnock.Core.Yaml;

/// <summary>A YAML node with the position it was read from, so diagnostics can name a line.</summary>
public abstract record YamlNode(int Line, int Column);

/// <summary>A scalar; <see cref="Plain"/> is false for quoted scalars.</summary>
public sealed record YamlScalar(string Value, bool Plain, int Line, int Column) : YamlNode(Line, Column);

/// <summary>A sequence of nodes.</summary>
public sealed record YamlSequence(IReadOnlyList<YamlNode> Items, int Line, int Column) : YamlNode(Line, Column);

/// <summary>A mapping in document order; keys are scalars.</summary>
public sealed record YamlMapping(IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries, int Line, int Column)
    : YamlNode(Line, Column);
