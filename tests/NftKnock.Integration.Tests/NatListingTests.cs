using NftKnock.Core.Config;
using NftKnock.Server.Tables;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

/// <summary>
/// Apply reads the host's DNAT rules from the tables that have a nat chain, not from the whole ruleset,
/// which also lists our own table (at 1,000 rotating clients, most of an apply's time).
/// </summary>
public sealed class NatListingTests
{
    [KernelFact]
    public async Task Only_tables_with_a_nat_chain_are_listed_and_their_dnat_targets_are_read()
    {
        await using var lab = await Lab.StartAsync();
        (await lab.Server.NftAsync("""
            table ip hostnat {
                chain pre { type nat hook prerouting priority dstnat; policy accept; jump publish; }
                chain publish { tcp dport 8080 dnat to 198.18.7.2:80; }
            }
            table ip6 hostnat6 {
                chain pre { type nat hook prerouting priority dstnat; policy accept; tcp dport 8080 dnat to [2001:db8:7::2]:80; }
            }
            table inet hostfw {
                chain input { type filter hook input priority 0; policy accept; tcp dport 9999 drop; }
            }
            """)).EnsureSuccess("the host's tables");
        var yaml = """
            doors:
              web:
                sequence: [7001/udp, 7002/udp]
                protect: [8080/tcp]
            """;
        var config = ConfigReader.Read(yaml).Config.ShouldNotBeNull();
        (await lab.Server.NftAsync(NftKnock.Core.Ruleset.Planner.Plan(config).FreshScript(string.Empty))).EnsureSuccess("our table");
        var nft = new NetnsNft(lab.Server.Name);

        var listed = await nft.ListNatTablesAsync(config.Table);

        listed.ShouldContain("\"hostnat\"");
        listed.ShouldContain("\"hostnat6\"");
        listed.ShouldNotContain("\"hostfw\"");
        listed.ShouldNotContain($"\"{config.Table}\"");
        var targets = (await NatRules.ListAsync(nft, config.Table)).Targets(config).Select(t => $"{t.Door} {t.Address} {t.Ports.First}").ToList();
        targets.ShouldBe(["web 198.18.7.2 80", "web 2001:db8:7::2 80"], ignoreOrder: true);
    }
}
