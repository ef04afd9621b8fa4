namespace NftKnock.Server.Tests;

internal static class Fixture
{
    /// <summary>Real <c>nft -j list table</c> output captured from nft 1.0.6.</summary>
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
