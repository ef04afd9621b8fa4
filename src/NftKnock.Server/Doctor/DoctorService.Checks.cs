using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Host;
using NftKnock.Server.Nftables;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Doctor;

// The checks in the order doctor prints them, each with what it needs.
public sealed partial class DoctorService
{
    /// <summary>One check: its name, what it needs, and how it runs once that is there.</summary>
    private sealed record Check(string Name, DoctorNeeds Needs, Func<Task<DoctorCheck>> Run);

    /// <summary>
    /// Every check after nft's version. A check that needs the config is only run with one, so
    /// <c>config!</c> below holds; each listing is asked for once, by the first check that needs it.
    /// </summary>
    private IEnumerable<Check> Checks(DoctorInputs inputs, Listings listings, IHostProbe probe, CancellationToken cancel)
    {
        var config = inputs.Config;
        const DoctorNeeds Config = DoctorNeeds.Config;
        yield return new(NftChecks.FeaturesName, DoctorNeeds.Nft | DoctorNeeds.Root, () => NftChecks.FeaturesAsync(nft, config is null ? null : Planner.Plan(config), cancel));
        yield return new(ForeignChains.Name, Config | DoctorNeeds.Ruleset, async () => ForeignChains.Check(await listings.RulesetAsync(), config!));
        yield return new(PublishedPorts.Name, Config | DoctorNeeds.Ruleset, async () => PublishedPorts.Check(await listings.NatAsync(), config!, probe, await listings.TableAsync()));
        yield return Now(Listeners.Name, Config, () => Listeners.Check(config!, Listeners.Read(probe)));
        yield return Now(SecretFiles.Name, DoctorNeeds.None, () => SecretFiles.Check(inputs.SecretFiles, probe));
        yield return Now(PublicSequenceCheck.Name, Config, () => PublicSequenceCheck.Check(config!));
        yield return Now(ClockSync.Name, DoctorNeeds.None, () => ClockSync.Check(config, probe.ReadClock));

        // Only rotating doors have a rotating map to look at; without one the check says so, anywhere.
        var rotating = config?.Doors.Any(d => d.Rotating is not null) == true;
        yield return new(Rotation.Name, rotating ? Config | DoctorNeeds.Table : Config, async () => Rotation.Check(config!, rotating ? await listings.TableAsync() : null));
        yield return Now(KernelLogCheck.Name, Config, () => KernelLogCheck.Check(config!));
        yield return new(Drift.Name, Config | DoctorNeeds.Table, async () => Drift.Check(config!, await listings.TableAsync(), await listings.PublishedAsync()));
        yield return new(AuditMode.Name, Config | DoctorNeeds.Table, async () => AuditMode.Check(config!, await listings.TableAsync()));
    }

    private static Check Now(string name, DoctorNeeds needs, Func<DoctorCheck> run) => new(name, needs, () => Task.FromResult(run()));

    /// <summary>The listings the checks read, each asked for once; only checks whose needs are met ask.</summary>
    private sealed class Listings(INftables nft, ServerConfig? config, CancellationToken cancel)
    {
        private Task<ForeignRuleset>? ruleset;
        private Task<TableReading?>? table;

        /// <summary>The other tables' chains and rules: one reading for the host firewall and published ports checks and drift.</summary>
        public Task<ForeignRuleset> RulesetAsync() => ruleset ??= ReadRulesetAsync();

        /// <summary>The host's nat rules, from the same reading.</summary>
        public async Task<NatRules> NatAsync() => NatRules.Read(await RulesetAsync());

        /// <summary>Our table read back (null when it is not loaded): one reading for the published ports, rotation, drift and audit checks.</summary>
        public Task<TableReading?> TableAsync() => table ??= new TableService(nft).ReadAsync(config!.Table, cancel);

        /// <summary>Where the host's DNAT sends protected ports, as apply plans them; none when the ruleset cannot be read (the published ports check says why).</summary>
        public async Task<IReadOnlyList<PublishedTarget>> PublishedAsync()
        {
            try
            {
                return (await NatAsync()).Targets(config!);
            }
            catch (Exception e) when (e is NftException or FormatException or NotSupportedException)
            {
                return [];
            }
        }

        private async Task<ForeignRuleset> ReadRulesetAsync() => ForeignRuleset.Parse(await nft.ListRulesetAsync(cancel), config!.Table);
    }
}
