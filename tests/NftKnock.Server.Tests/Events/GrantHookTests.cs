using System.Diagnostics;
using NftKnock.Core.Model;
using NftKnock.Server.Events;

namespace NftKnock.Server.Tests.Events;

/// <summary>events --exec's hook: one run per event with the event in its environment, and a hanging command holds up nothing.</summary>
public sealed class GrantHookTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("nftknock-hook-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Runs => Path.Combine(folder, "runs");

    /// <summary>A command that appends its environment to a file; for door 'slow' it first sleeps far past any timeout.</summary>
    private string[] Command() =>
    [
        "/bin/sh", "-c",
        "if [ \"$NFTKNOCK_DOOR\" = slow ]; then sleep 60; fi; echo \"$NFTKNOCK_KIND $NFTKNOCK_DOOR $NFTKNOCK_CLIENT $NFTKNOCK_SOURCE $NFTKNOCK_FAMILY\" >> \"$1\"",
        "hook", Runs,
    ];

    private static KnockEvent Event(string door, EventKind kind = EventKind.Grant, string? client = null) =>
        new(DateTimeOffset.UnixEpoch, kind, door, client, "198.18.0.2", Families.IPv4, "veth0", 7000, "udp");

    [Fact]
    public async Task The_command_runs_once_per_event_with_the_event_in_its_environment()
    {
        var error = new StringWriter();
        await using (var hook = new GrantHook(Command(), TimeSpan.FromSeconds(20), error))
        {
            hook.Post(Event("ssh", EventKind.Grant, "alice")).ShouldBeTrue();
            hook.Post(Event("vpn", EventKind.Replay)).ShouldBeTrue();
        }

        File.ReadAllLines(Runs).Order(StringComparer.Ordinal).ShouldBe(["grant ssh alice 198.18.0.2 ipv4", "replay vpn  198.18.0.2 ipv4"]);
        error.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_hanging_command_is_killed_at_its_time_limit_and_later_events_still_run()
    {
        var error = new StringWriter();
        var clock = Stopwatch.StartNew();
        await using (var hook = new GrantHook(Command(), TimeSpan.FromSeconds(2), error))
        {
            hook.Post(Event("slow")).ShouldBeTrue();
            hook.Post(Event("ssh")).ShouldBeTrue();
            hook.Post(Event("web")).ShouldBeTrue();
        }

        File.ReadAllLines(Runs).Order(StringComparer.Ordinal).ShouldBe(["grant ssh  198.18.0.2 ipv4", "grant web  198.18.0.2 ipv4"]);
        error.ToString().ShouldStartWith("nftknock: --exec /bin/sh ran longer than 2s and was killed, for 1970-01-01T00:00:00Z grant door=slow source=198.18.0.2");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(50), "the sleeping command was killed, not waited for");
    }

    [Fact]
    public async Task A_program_that_cannot_run_says_so_and_the_hook_goes_on()
    {
        var error = new StringWriter();
        await using (var hook = new GrantHook([Path.Combine(folder, "missing")], TimeSpan.FromSeconds(5), error))
        {
            hook.Post(Event("ssh")).ShouldBeTrue();
        }

        error.ToString().ShouldStartWith($"nftknock: --exec {Path.Combine(folder, "missing")} cannot run: ");
    }
}
