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

    public string Resolve(ParseResult parse)
    {
        if (parse.GetValue(table) is { } name)
        {
            return name;
        }

        var path = parse.GetValue(config) ?? ServerConfig.DefaultPath;
        if (File.Exists(path) && ConfigReader.Read(File.ReadAllText(path)).Config is { } valid)
        {
            return valid.Table;
        }

        return ServerConfig.DefaultTable;
    }
}
