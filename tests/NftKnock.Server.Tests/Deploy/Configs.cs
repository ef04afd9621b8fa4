namespace NftKnock.Server.Tests.Deploy;

/// <summary>Configs for the deploy tests.</summary>
internal static class Configs
{
    public const string Ssh = """
        table: nftknock
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [7000/udp, 9000/tcp, 8000/udp]
        """;

    public static Core.Model.ServerConfig Read(string yaml) =>
        Core.Config.ConfigReader.Read(yaml).Config ?? throw new InvalidOperationException("test config is invalid");
}
