namespace NftKnock.Cli;

/// <summary>The command line that runs this same program again (apphost, single file, or <c>dotnet nftknock.dll</c>).</summary>
internal static class SelfCommand
{
    public static IReadOnlyList<string> Argv()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this program is unknown");
        var first = Environment.GetCommandLineArgs()[0];
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? [process, first] : [process];
    }
}
