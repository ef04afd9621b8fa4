namespace NftKnock.Cli.Tests.Server;

/// <summary>Command lines that no command test reaches on this machine, held verbatim.</summary>
public sealed class TextsTests
{
    [Fact]
    public void Nft_failures_read_as_documented()
    {
        Texts.NftPermissionDenied.ShouldBe("nftknock: nft was refused permission. Run nftknock with sudo (root or CAP_NET_ADMIN).");
        Texts.NftOutputUnreadable("unexpected token").ShouldBe("nftknock: cannot read nft's output: unexpected token. Check that nft is version 1.0 or newer.");
        Texts.NftFailed(new NftKnock.Server.Nftables.NftException(NftKnock.Server.Nftables.NftFailureKind.Refused, "Error: No such file or directory\n", null)).ShouldBe("nftknock: nft failed: Error: No such file or directory");
    }

    [Fact]
    public void Install_and_the_watcher_read_as_documented()
    {
        Texts.LinuxOnly("install").ShouldBe("nftknock: install is for Linux servers.");
        Texts.InstallStepFailed("Access to the path '/usr/local/bin/nftknock' is denied.").ShouldBe("nftknock: Access to the path '/usr/local/bin/nftknock' is denied. Nothing after this step was done.");
        Texts.InstallNeedsBinary.ShouldBe("nftknock: install copies a self-contained nftknock binary, and this one runs under dotnet or cannot be found. Run install from the published binary (packaging/build.sh), or pass --binary PATH.");
        Texts.PendingUnreadable("/run/nftknock/pending.json", "the file does not exist").ShouldBe("nftknock: cannot read the pending apply /run/nftknock/pending.json: the file does not exist");
    }

    [Fact]
    public void Uninstall_status_and_usage_lines_read_as_documented()
    {
        Texts.PurgedConfig("/etc/nftknock").ShouldBe("Removed /etc/nftknock with its configs and secrets.");
        Texts.KeptConfigDirectory("/etc/nftknock").ShouldBe("Kept /etc/nftknock (configs and secrets); nftknock uninstall --purge removes it.");
        Texts.TableStays.ShouldBe("A loaded table stays until the next reboot; nft delete table inet nftknock drops it now.");
        Texts.SystemctlFailed(["disable", "nftknock.service"], "No such file or directory").ShouldBe("nftknock: systemctl disable nftknock.service failed: No such file or directory");
        Texts.StatusIdle.ShouldBe("  no grants and no knocks in progress");
        Texts.UsageError("Unrecognized command or argument 'x'.").ShouldBe("nftknock: Unrecognized command or argument 'x'. Run 'nftknock --help' for usage.");
    }
}
