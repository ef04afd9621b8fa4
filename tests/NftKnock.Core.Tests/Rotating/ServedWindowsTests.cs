using NftKnock.Core.Model;
using NftKnock.Core.Rotating;

namespace NftKnock.Core.Tests.Rotating;

public class ServedWindowsTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Boundary = DateTimeOffset.FromUnixTimeMilliseconds(58_000_000L * 30_000);
    private static readonly Door Ssh = new("ssh", [new PortRange(22, 22, Protocol.Tcp)], [], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), Refresh.Update, false, Families.Both, [], true)
    {
        Rotating = new RotatingDoor(3, Period, RotatingDoor.DefaultPorts, [], [new RotatingClient("alice", "/etc/alice", Enumerable.Repeat((byte)1, 32).ToArray())]),
    };

    private static ServedWindows Served(long newest, long floor) =>
        new("b00t", 7, Boundary, 1_000_000, new Dictionary<string, DoorWindows> { ["ssh"] = new(Period, newest, floor) });

    [Fact]
    public void The_record_reads_back_what_it_wrote_and_refuses_anything_else()
    {
        var served = Served(58_000_001, 57_999_999);

        var read = ServedWindows.Parse(served.ToText())!;

        read.ToText().ShouldBe(served.ToText());
        read.Doors["ssh"].ShouldBe(new DoorWindows(Period, 58_000_001, 57_999_999));
        ServedWindows.Parse("boot x\n").ShouldBeNull();
        ServedWindows.Parse(served.ToText() + "door ssh 0 1 2\n").ShouldBeNull();
        ServedWindows.Parse(served.ToText().Replace("table-handle 7", "table-handle seven", StringComparison.Ordinal)).ShouldBeNull();
    }

    [Fact]
    public void The_record_keeps_the_table_print_and_refuses_one_that_is_not_lower_hex()
    {
        var served = Served(58_000_001, 57_999_999) with { TablePrint = "0123456789abcdef" };

        ServedWindows.Parse(served.ToText())!.TablePrint.ShouldBe("0123456789abcdef");
        ServedWindows.Parse(Served(1, 0).ToText())!.TablePrint.ShouldBeNull();
        ServedWindows.Parse(served.ToText().Replace("0123456789abcdef", "0123456789ABCDEF", StringComparison.Ordinal)).ShouldBeNull();
    }

    [Theory]
    [InlineData("b00t", 7, 0, 60_000, true)]      // a minute later by both clocks
    [InlineData("b00t", 7, 3_600_000, 0, true)]   // the wall clock jumped ahead (suspend, NTP): nothing was served twice
    [InlineData("b00t", 7, -500, 0, true)]        // a slew, not a step
    [InlineData("b00t", 7, -5_000, 0, false)]     // stepped back
    [InlineData("b00t", 8, 0, 0, false)]          // the table was recreated: its claims are gone
    [InlineData("other", 7, 0, 0, false)]         // a reboot: every set is empty
    public void The_claims_cover_what_was_served_only_while_boot_table_and_clock_are_unbroken(string boot, long handle, long wallMs, long monoMs, bool continuous)
    {
        var served = Served(58_000_001, 57_999_999);
        var elapsed = TimeSpan.FromMilliseconds(monoMs);

        served.Continuous(boot, handle, Boundary + elapsed + TimeSpan.FromMilliseconds(wallMs), 1_000_000 + monoMs).ShouldBe(continuous);
    }

    [Fact]
    public void Without_continuity_only_windows_never_served_may_be_written()
    {
        var served = Served(58_000_001, 57_999_999);

        ServedWindows.Floor(served, Ssh, continuous: true).ShouldBe(57_999_999);
        ServedWindows.Floor(served, Ssh, continuous: false).ShouldBe(58_000_002);
        ServedWindows.Floor(null, Ssh, continuous: false).ShouldBe(long.MinValue);
        ServedWindows.Floor(served, Ssh with { Rotating = Ssh.Rotating! with { Period = TimeSpan.FromMinutes(1) } }, continuous: false).ShouldBe(long.MinValue);
    }

    [Fact]
    public void A_write_behind_the_floor_keeps_the_newest_window_and_the_floor()
    {
        var served = Served(58_000_001, 58_000_002);
        var stepped = Boundary - (3 * Period);

        var after = ServedWindows.After(served, "b00t", 7, stepped, 2_000_000, [Ssh], new Dictionary<string, long> { ["ssh"] = 58_000_002 });

        after.Doors["ssh"].ShouldBe(new DoorWindows(Period, 58_000_001, 58_000_002, 7));
        RotationScript.Elements(Ssh, stepped, 58_000_002).ShouldBeEmpty();
        after.Wall.ShouldBe(stepped);
    }

    [Fact]
    public void A_normal_write_moves_newest_and_floor_along()
    {
        var after = ServedWindows.After(Served(58_000_001, 57_999_999), "b00t", 7, Boundary + Period, 1_030_000, [Ssh], new Dictionary<string, long> { ["ssh"] = 57_999_999 });

        after.Doors["ssh"].ShouldBe(new DoorWindows(Period, 58_000_002, 58_000_000, 7));
    }
}
