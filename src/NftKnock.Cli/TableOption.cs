using System.CommandLine;
using NftKnock.Core.Config;
using NftKnock.Core.Model;

namespace NftKnock.Cli;

/// <summary>Which table a command reads or removes: --table, else the config's, else the default.</summary>
internal sealed class TableOption
{
    private readonly Option<string?> table = new("--table", "-t") { Description = "Our table's name (default: the config's, else nftknock)." };
    private readonly Option<string?> config = new("--config", "-c") { Description = $"Take the table name from this config (default {ServerConfig.DefaultPath} when it exists)." };

    public void AddTo(Command command)
    {
        command.Add(table);
        command.Add(config);
    }

    /// <summary>The table's name; null after printing why the config cannot be read (exit 2).</summary>
    public string? Resolve(ParseResult parse, CliContext context)
    {
        if (parse.GetValue(table) is { } name)
        {
            return name;
        }

        var path = parse.GetValue(config) ?? ServerConfig.DefaultPath;
        if (!Path.Exists(path))
        {
            return ServerConfig.DefaultTable;
        }

        if (!FileText.TryRead(path, out var text, out var reason))
        {
            context.Error.WriteLine(Texts.CannotReadTableConfig(path, reason));
            return null;
        }

        return ConfigReader.Read(text).Config is { } valid ? valid.Table : ServerConfig.DefaultTable;
    }
}
