using System.Globalization;

namespace NftKnock.Core.Diagnostics;

/// <summary>How serious a diagnostic is: errors stop the config from being used.</summary>
public enum Severity
{
    /// <summary>Worth fixing, but the config is usable.</summary>
    Warning,

    /// <summary>The config cannot be used until this is fixed.</summary>
    Error,
}

/// <summary>One problem in a YAML file: where it is, what the value was and how to fix it.</summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="Code">A stable code such as <c>NK044</c>.</param>
/// <param name="Path">The YAML path, like <c>doors.ssh.sequence[2]</c>; empty for the whole file.</param>
/// <param name="Line">1-based line, 0 when the problem has no single place.</param>
/// <param name="Column">1-based column, 0 when unknown.</param>
/// <param name="Message">A full sentence with the value and the fix.</param>
public sealed record Diagnostic(Severity Severity, string Code, string Path, int Line, int Column, string Message)
{
    /// <summary>
    /// Formats as <c>file:line:col: error NK044 at path: message</c>, the way compilers do, with
    /// control characters from the file shown as escapes (<see cref="Visible"/>).
    /// </summary>
    public string Format(string file)
    {
        var where = Line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{file}:{Line}:{Column}")
            : file;
        var kind = Severity == Severity.Error ? "error" : "warning";
        var at = Path.Length > 0 ? $" at {Path}" : string.Empty;
        return Visible.Escape($"{where}: {kind} {Code}{at}: {Message}");
    }
}

/// <summary>Collects diagnostics while a file is read.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> items = [];

    /// <summary>Everything reported so far, in the order found.</summary>
    public IReadOnlyList<Diagnostic> Items => items;

    /// <summary>True when any error was reported.</summary>
    public bool HasErrors => items.Exists(d => d.Severity == Severity.Error);

    /// <summary>Reports an error.</summary>
    public void Error(Message message, string path, Yaml.YamlNode? at) => Add(Severity.Error, message, path, at);

    /// <summary>Reports a warning.</summary>
    public void Warning(Message message, string path, Yaml.YamlNode? at) => Add(Severity.Warning, message, path, at);

    private void Add(Severity severity, Message message, string path, Yaml.YamlNode? at) =>
        items.Add(new Diagnostic(severity, message.Code, path, at?.Line ?? 0, at?.Column ?? 0, message.Text));
}

/// <summary>A coded, user-facing sentence.</summary>
public readonly record struct Message(string Code, string Text);
