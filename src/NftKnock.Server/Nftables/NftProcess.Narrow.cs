using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Server.Nftables;

/// <summary>The narrow listings: what rotate, apply and the nat reading need without listing a whole table.</summary>
public sealed partial class NftProcess
{
    /// <inheritdoc/>
    /// <remarks>
    /// nft 1.0.6 fetches every table's rules for <c>list tables</c> and <c>list counters</c>, even filtered
    /// to one table, but only chains for <c>list chains</c> and only the one set with its elements for
    /// <c>list set</c> and <c>list map</c>: at 1,000 rotating clients the difference between about half a
    /// second and a few milliseconds. nft 1.0.6 also refuses a command line that lists two named
    /// sets or maps (the second is "No such file or directory"), so the chains ride with the first object
    /// and every other object has a process of its own, run side by side. Names are validated object names.
    /// The chains of 2,000 clients still cost nft 30 ms or so, most of a running rotate's wake, so they are
    /// asked of the kernel directly where it answers (<see cref="NftNetlink.Chains"/>, the same generation
    /// before and after), and nft lists only the named objects, if any.
    /// </remarks>
    public async Task<string?> ListOutlineAsync(string table, IReadOnlyList<(string Keyword, string Name)> objects, CancellationToken cancel = default)
    {
        var lists = objects.Select(o => $"list {o.Keyword} inet {table} {o.Name}").ToList();
        using (var kernel = executable == "nft" ? NftNetlink.Open() : null)
        {
            if (kernel?.Generation() is { } before && kernel.Chains(table) is { } chains)
            {
                var named = await Task.WhenAll(lists.Select(c => ListAsync(["-t", "-j", c], cancel)));
                if (kernel.Generation() == before)
                {
                    return named.Any(l => l is null) ? null : chains + string.Concat(named);
                }
            }
        }

        List<string> commands = lists.Count == 0 ? ["list chains inet"] : [$"list chains inet; {lists[0]}", .. lists.Skip(1)];
        var listed = await Task.WhenAll(commands.Select(c => ListAsync(["-t", "-j", c], cancel)));
        return listed.Any(l => l is null) ? null : string.Concat(listed);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Every object of every inet table, terse (<c>-t</c>, so no elements): the table with its handle, then
    /// chains, sets, maps and counters. The rules, which nftknock never decides from, are left out. nft 1.0.6
    /// fetches every rule before it lists a table or a counter, but not for chains, sets and maps: at 1,000
    /// rotating clients (2,000 chains) the table and its counters cost about 0.5 s through nft, measured
    /// here. So they are asked of the kernel directly (<see cref="NftNetlink"/>) and nft lists only the
    /// rest; the ruleset's generation, the same before and after, shows that both read one ruleset. When
    /// this runs another nft than the one on PATH (which may list another namespace, as a test's wrapper
    /// does), or the kernel does not answer in full, one nft process lists all five. These list
    /// commands name a family, not a table, so other inet tables' objects come too: the reader keeps ours
    /// (<see cref="NftJson.ReadOutline"/>).
    /// </remarks>
    public async Task<string?> ListTableStructureAsync(string table, CancellationToken cancel = default)
    {
        using (var kernel = executable == "nft" ? NftNetlink.Open() : null)
        {
            if (kernel?.Generation() is { } before
                && await ListAsync(["-t", "-j", "list chains inet; list sets inet; list maps inet"], cancel) is { } listed
                && kernel.TableAndCounters(table) is { } objects
                && kernel.Generation() == before)
            {
                return objects + listed;
            }
        }

        return await ListAsync(["-t", "-j", "list tables inet; list chains inet; list sets inet; list maps inet; list counters inet"], cancel);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// At 1,000 rotating clients a wake writes 9,000 entries, and nft takes 120 to 200 ms to parse them and
    /// build its messages, most of a wake. The same batch goes to the kernel directly (<see cref="NftNetlink.Fill"/>);
    /// should that not be acknowledged in full, or this run another nft than the one on PATH, nft sends it.
    /// A batch applies whole or not at all, and nft's flush and refill leave the map as the first would have.
    /// </remarks>
    public async Task FillAsync(string table, MapFill fill, CancellationToken cancel = default)
    {
        using (var kernel = executable == "nft" ? NftNetlink.Open() : null)
        {
            if (kernel?.Fill(table, fill) == true)
            {
                return;
            }
        }

        await RunAsync(NftWriter.Fill(table, fill), checkOnly: false, cancel);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Only a table with a nat base chain can DNAT, and jumps never leave a table, so those tables are all the
    /// nat rules there are: listed one process each (nft 1.0.6 refuses two named objects on one command
    /// line), after a listing of the chains alone. The whole ruleset would also list our own table, every
    /// chain of every client, at 1,000 clients most of an apply's time. Names nft would not print bare fall
    /// back to the whole ruleset, so nothing read from the kernel becomes part of a command.
    /// </remarks>
    public async Task<string> ListNatTablesAsync(string ourTable, CancellationToken cancel = default)
    {
        var (code, stdout, stderr) = await ExecAsync(["-j", "list", "chains"], null, cancel);
        if (code != 0)
        {
            throw new NftException(Classify(stderr), stderr, null);
        }

        var tables = Tables.ForeignRuleset.Parse(stdout, ourTable).Chains.Values
            .Where(c => c.Type == "nat")
            .Select(c => (c.Family, c.Table))
            .Distinct()
            .ToList();
        if (tables.Any(t => !NatFamilies.Contains(t.Family) || !IsBareName(t.Table)))
        {
            return await ListRulesetAsync(cancel);
        }

        if (tables.Count == 0)
        {
            return """{"nftables": []}""";
        }

        var listed = await Task.WhenAll(tables.Select(t => ExecAsync(["-j", "list", "table", t.Family, t.Table], null, cancel)));
        if (listed.FirstOrDefault(l => l.Code != 0) is { Code: not 0 } failed)
        {
            throw new NftException(Classify(failed.Stderr), failed.Stderr, null);
        }

        return string.Concat(listed.Select(l => l.Stdout));
    }

    /// <summary>The families whose tables may hold nat chains.</summary>
    private static readonly string[] NatFamilies = ["ip", "ip6", "inet"];

    /// <summary>Whether nft prints <paramref name="name"/> as it is, so it can go on a command line unquoted.</summary>
    private static bool IsBareName(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
