using System.Globalization;
using NftKnock.Core.Ruleset;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Rotating;

/// <summary>
/// Time limits are held by the kernel's clock: a client whose hours hold the current time gets in, one
/// whose hours do not is refused and counted, and so is one whose end date has passed. The hours are
/// written around the machine's clock with two hours of margin on each side, so neither a minute
/// boundary nor midnight during the test can change the outcome.
/// </summary>
public sealed class TimeLimitTests
{
    /// <summary>FROM-TO on the 24-hour clock, <paramref name="from"/> to <paramref name="to"/> after <paramref name="now"/> (wrapping at midnight).</summary>
    private static string Hours(DateTimeOffset now, TimeSpan from, TimeSpan to)
    {
        static string Clock(DateTimeOffset t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);
        return $"{Clock(now + from)}-{Clock(now + to)}";
    }

    private static string Config(RotatingLab lab, DateTimeOffset now)
    {
        // Kolkata is UTC+05:30 all year: the inside window is written in local time and must be converted.
        var kolkata = now.ToOffset(TimeSpan.FromMinutes(330));
        return $$"""
            doors:
              ssh:
                protect: [22/tcp]
                step-timeout: 1s
                open-for: 5s
                rotating:
                  period: 4s
                  clients:
                    - name: inside
                      secret-file: {{lab.SecretPath("inside")}}
                      hours: {{Hours(kolkata, TimeSpan.FromHours(-2), TimeSpan.FromHours(2))}}
                      timezone: Asia/Kolkata
                    - name: outside
                      secret-file: {{lab.SecretPath("outside")}}
                      hours: {{Hours(now, TimeSpan.FromHours(2), TimeSpan.FromHours(22))}}
                    - name: expired
                      secret-file: {{lab.SecretPath("expired")}}
                      expires: {{now.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}}
            """;
    }

    private static async Task<RotatingLab> StartAsync()
    {
        var lab = await RotatingLab.StartAsync("inside", "outside", "expired");
        try
        {
            await lab.ApplyAsync(Config(lab, DateTimeOffset.UtcNow));

            // Apply writes only the windows around it; rotate keeps them coming while the test knocks twice.
            await lab.StartRotateAsync();
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    [KernelFact]
    public async Task A_client_outside_its_hours_is_refused_and_counted_and_one_inside_gets_in()
    {
        await using var lab = await StartAsync();

        await lab.Lab.Attacker.KnockAsync(Lab.ServerV4FromAttacker, RotatingClientTests.Now(lab, "ssh", "outside"));
        await lab.ExpectAsync(false, lab.Lab.Attacker, Lab.ServerV4FromAttacker, "a knock outside its hours");
        (await lab.Lab.CounterAsync(Names.Counter("ssh", CounterKind.Outside, "outside"))).ShouldBe(1);

        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, RotatingClientTests.Now(lab, "ssh", "inside"), "a knock inside its hours");
        (await lab.Lab.CounterAsync(Names.Counter("ssh", CounterKind.Grants, "inside"))).ShouldBe(1);
    }

    [KernelFact]
    public async Task A_client_whose_end_date_has_passed_is_refused()
    {
        await using var lab = await StartAsync();

        await lab.Lab.Client.KnockAsync(Lab.ServerV4, RotatingClientTests.Now(lab, "ssh", "expired"));

        await lab.ExpectAsync(false, lab.Lab.Client, Lab.ServerV4, "a knock after expires");
        (await lab.Lab.CounterAsync(Names.Counter("ssh", CounterKind.Outside, "expired"))).ShouldBe(1);
        (await lab.Lab.CounterAsync(Names.Counter("ssh", CounterKind.Grants))).ShouldBe(0);
    }
}
