using System.Globalization;
using System.Text.RegularExpressions;

namespace NftKnock.Testing.Namespaces;

/// <summary>Server-side steps: write a config and apply it inside the server namespace.</summary>
public static partial class ServerSteps
{
    /// <summary>Writes <paramref name="yaml"/> to a temporary file and runs nftknock apply in the server.</summary>
    public static async Task<ProcResult> ApplyAsync(this Lab lab, string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{lab.Id}-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, yaml);
        try
        {
            return await lab.Server.NftknockAsync("apply", "-c", path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Applies and fails the test with nftknock's output when apply fails.</summary>
    public static async Task ApplyOkAsync(this Lab lab, string yaml) =>
        (await lab.ApplyAsync(yaml)).EnsureSuccess("nftknock apply");

    /// <summary>A new lab with <paramref name="yaml"/> applied and a TCP echo service on <paramref name="port"/>.</summary>
    public static async Task<Lab> StartServingAsync(string yaml, int port = 22)
    {
        var lab = await Lab.StartAsync();
        try
        {
            await lab.ApplyOkAsync(yaml);
            await lab.Server.EchoServiceAsync(port);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>The elements of one of our sets, as nft lists them.</summary>
    public static async Task<string> SetAsync(this Lab lab, string set) =>
        (await lab.Server.RunAsync("nft", "list", "set", "inet", "nftknock", set)).Stdout;

    /// <summary>The packets a named counter of the server's table <paramref name="table"/> (ours unless given) has counted.</summary>
    public static async Task<long> CounterAsync(this Lab lab, string counter, string table = "nftknock")
    {
        var listing = (await lab.Server.RunAsync("nft", "list", "counter", "inet", table, counter)).EnsureSuccess("nft list counter").Stdout;
        return long.Parse(PacketsText().Match(listing).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"packets (\d+)")]
    private static partial Regex PacketsText();
}
