using System.Globalization;
using NftKnock.Core.Config;
using NftKnock.Core.Model;
using NftKnock.Core.Rotating;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Nftables;
using NftKnock.Server.Rotation;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Tests.Rotation;

/// <summary>
/// Without its record of served windows (a first run, a container without a volume, a wiped state
/// directory), the guard decides from the loaded table and the boot time: no window that may have been
/// served before is written into a table whose claims cannot cover it.
/// </summary>
public sealed class RotationGuardTests : IDisposable
{
    private const string Table = "nftknock";
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(4);

    // One second into window W.
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 22, 0, 1, TimeSpan.Zero);
    private static readonly long W = RotatingDerivation.Window(Now, Period);
    private static readonly TimeSpan LongAgo = TimeSpan.FromDays(30);

    private readonly string folder = Directory.CreateTempSubdirectory("nftknock-guard-").FullName;
    private readonly StringWriter error = new();
    private readonly FakeNftables nft = new();
    private readonly ServerConfig config = ConfigReader.Read(
        """
        doors:
          ssh:
            protect: [22/tcp]
            rotating: {secret-file: /ssh.secret, period: 4s}
          web:
            protect: [443/tcp]
            rotating: {secret-file: /web.secret, period: 4s}
        """,
        path => new SecretFileContent(RotatingSecret.Format(Enumerable.Range(path.Length, 32).Select(i => (byte)i).ToArray()), null, null)).Config!;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private IReadOnlyList<Door> Doors => config.Doors;

    private string RecordPath => Path.Join(folder, "state", $"{Table}.served");

    private RotationHost Host(TimeSpan sinceBoot) =>
        new(error, new TestClock(Now), Path.Join(folder, "state"), "b00t", e => e.Message) { SinceBoot = () => sinceBoot };

    /// <summary>The table as apply loads it, with the rotating map filled at <paramref name="filled"/> (none when null), read with its elements.</summary>
    private async Task<TableReading> LoadedAsync(DateTimeOffset? filled)
    {
        var tables = new TableService(nft);
        await tables.ApplyAsync(Planner.Plan(config), string.Empty, (_, _) => filled is { } at ? RotationScript.Fill(Doors, at) : null);
        return (await tables.ReadAsync(Table)).ShouldNotBeNull();
    }

    [Fact]
    public async Task Without_a_record_a_table_that_kept_its_claims_on_a_machine_booted_long_ago_gets_all_three_windows()
    {
        var loaded = await LoadedAsync(Now - Period);

        var guard = RotationGuard.Plan(Host(LongAgo), Table, Doors, loaded.Handle, Now, loaded: loaded);

        guard.Known.ShouldBeFalse();
        guard.Fill().Entries.Count.ShouldBe(2 * 3 * 3);
        error.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task Without_a_record_the_newest_window_the_table_shows_is_recorded_as_served()
    {
        // Written one window ahead of now, as a clock that stepped back since would leave it.
        var loaded = await LoadedAsync(Now + Period);

        RotationGuard.Plan(Host(LongAgo), Table, Doors, loaded.Handle, Now, loaded: loaded).Save(loaded.Handle);

        File.ReadAllText(RecordPath).ShouldContain($"\ndoor ssh 4000 {W + 2} {W - 1} {loaded.Handle}\n");
    }

    [Fact]
    public async Task Without_a_record_a_table_about_to_be_recreated_gets_only_windows_after_those_its_map_holds()
    {
        var loaded = await LoadedAsync(Now);
        var later = Now + Period;

        var guard = RotationGuard.Plan(Host(LongAgo), Table, Doors, handle: null, later, loaded: loaded);

        guard.Floors.ShouldBe(new Dictionary<string, long> { ["ssh"] = W + 2, ["web"] = W + 2 });
        guard.Fill().Entries.Count.ShouldBe(2 * 1 * 3);
        error.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task Without_a_record_a_door_whose_claims_are_recreated_gets_only_windows_after_the_claimed_ones()
    {
        var loaded = await LoadedAsync(filled: null);
        var ssh = Doors.Single(d => d.Name == "ssh");
        var last = RotatingDerivation.Knocks(ssh.Rotating!.Clients.Single().Secret.Span, ssh.Rotating.Spec("ssh"), W)[^1].Token;
        nft.AddElement(Table, Names.Claims("ssh"), unchecked((long)last).ToString(CultureInfo.InvariantCulture), TimeSpan.FromSeconds(12));
        loaded = (await new TableService(nft).ReadAsync(Table))!;

        var guard = RotationGuard.Plan(Host(LongAgo), Table, Doors, loaded.Handle, Now, claimsKept: d => d.Name != "ssh", loaded: loaded);

        guard.Floors["ssh"].ShouldBe(W + 1);
        guard.Floors["web"].ShouldBeLessThan(W - 1);
        error.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task Without_a_record_a_table_loaded_since_a_recent_boot_keeps_its_claims_but_gets_no_window_from_before_the_boot()
    {
        var loaded = await LoadedAsync(Now);

        // Booted in window W-1: anything served before the boot is W at most.
        var guard = RotationGuard.Plan(Host(TimeSpan.FromSeconds(5)), Table, Doors, loaded.Handle, Now, loaded: loaded);

        guard.Floors.ShouldBe(new Dictionary<string, long> { ["ssh"] = W + 1, ["web"] = W + 1 });
        guard.Fill().Entries.Count.ShouldBe(2 * 1 * 3);
        error.ToString().ShouldBeEmpty();
    }

    [Fact]
    public void Without_a_record_a_new_table_on_a_machine_just_booted_loads_nothing_yet_and_says_until_when()
    {
        var ssh = Doors.Where(d => d.Name == "ssh").ToList();

        var guard = RotationGuard.Plan(Host(TimeSpan.FromSeconds(1)), Table, ssh, handle: null, Now);

        guard.Knocks.ShouldBe(0);
        error.ToString().ShouldBe(
            $"nftknock: door ssh: with no record of the windows served, window {W + 1} may have been served before the boot at 2026-11-21T22:00:00.000Z; "
            + "its knocks stay unloaded until 2026-11-21T22:00:04.000Z so that no knock captured before the boot works again.\n");
    }

    [Fact]
    public void Without_a_record_a_new_table_on_a_machine_booted_long_ago_gets_all_three_windows_and_says_once_what_cannot_be_known()
    {
        var guard = RotationGuard.Plan(Host(LongAgo), Table, Doors, handle: null, Now);

        guard.Fill().Entries.Count.ShouldBe(2 * 3 * 3);
        error.ToString().ShouldBe(
            $"nftknock: no record of served windows in {RecordPath} and table inet nftknock is new, so the rotating windows served before are unknown: "
            + "none from before the boot at 2026-10-22T22:00:01.000Z is loaded again, but if the table was loaded and removed since that boot, "
            + $"a knock captured in its last two periods may work once more. Keep {Path.Join(folder, "state")} on storage that survives restarts (in a container, a volume).\n");
    }

    [Fact]
    public async Task A_record_of_this_boot_decides_whatever_the_boot_time()
    {
        var loaded = await LoadedAsync(Now);
        RotationGuard.Plan(Host(LongAgo), Table, Doors, loaded.Handle, Now, loaded: loaded).Save(loaded.Handle);

        var guard = RotationGuard.Plan(Host(TimeSpan.FromSeconds(1)), Table, Doors, loaded.Handle, Now);

        guard.Known.ShouldBeTrue();
        guard.Fill().Entries.Count.ShouldBe(2 * 3 * 3);
    }
}
