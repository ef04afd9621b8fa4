using System.CommandLine;
using NftKnock.Core.Config;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;

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

    /// <summary>
    /// The table's name, or null after saying why (exit 2): the name ends up in nft commands and in
    /// file names under the run directory, so --table takes the config's grammar and nothing else.
    /// </summary>
    public string? Resolve(ParseResult parse, CliContext context)
    {
        if (parse.GetValue(table) is { } name)
        {
            if (NftText.IsTableName(name))
            {
                return name;
            }

            context.Error.WriteLine(Texts.Problem(Messages.BadTable(NftText.Comment(name)).Text));
            return null;
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
