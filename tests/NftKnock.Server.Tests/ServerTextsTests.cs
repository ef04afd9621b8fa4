namespace NftKnock.Server.Tests;

/// <summary>Server sentences that no check or watcher test reaches, held verbatim.</summary>
public sealed class ServerTextsTests
{
    [Fact]
    public void Doctor_findings_no_test_reaches_read_as_documented()
    {
        ServerTexts.NftVersionUnreadable("nftables").ShouldBe("cannot read the version from 'nftables'");
        ServerTexts.NftTooOld(new Version(0, 9, 8)).ShouldBe("nft 0.9.8 is too old: nftknock needs 1.0 or newer");
        ServerTexts.UpgradeNftDebian(new Version(1, 0, 6)).ShouldBe("Upgrade nftables to 1.0.6 or newer (Debian 12 ships it).");
        ServerTexts.DryRunsNeedRoot.ShouldBe("the dry runs need root");
        ServerTexts.InstallNftFirst.ShouldBe("Install nftables first.");
        ServerTexts.NoRotatingDoorsFix.ShouldBe("Nothing to do until a door uses rotating:.");
        ServerTexts.ForeignUnsure("table ip filter chain input (priority 0)", "22/tcp")
            .ShouldBe("table ip filter chain input (priority 0): a rule for 22/tcp uses a named set or something else nftknock cannot read");
        ServerTexts.DnatTo(ServerTexts.DnatByMap).ShouldBe("DNAT to an address a map chooses");
        ServerTexts.DnatUnreadable("table ip nat chain PREROUTING", ServerTexts.PortsUnreadable, "22/tcp")
            .ShouldBe("table ip nat chain PREROUTING has a DNAT rule whose ports are matched by an expression nftknock cannot read, so it may publish 22/tcp");
        ServerTexts.LegacyFailed("iptables-legacy", "Permission denied (you must be root)")
            .ShouldBe("iptables-legacy -t nat -S failed: Permission denied (you must be root)");
        ServerTexts.SequencesPublicFix.ShouldBe("Use a fresh random sequence: nftknock init -o /tmp/fresh.yaml writes one to copy from.");
    }

    [Fact]
    public void A_silent_watcher_reads_as_documented()
    {
        ServerTexts.WatcherSilent.ShouldBe("the rollback watcher ended without saying what it did");
    }
}
