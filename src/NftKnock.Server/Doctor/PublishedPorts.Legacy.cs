using System.Globalization;
using System.Text;
using NftKnock.Core.Model;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Doctor;

/// <summary>iptables-legacy's DNAT rules, read from <c>-S</c> output: nft cannot list them at all.</summary>
public static partial class PublishedPorts
{
    /// <summary>Each DNAT rule of <paramref name="listing"/> with each protected range it may publish.</summary>
    private static IEnumerable<(string Rule, PortRange Range)> LegacyRules(string listing, List<PortRange> protect)
    {
        foreach (var line in listing.Split('\n'))
        {
            var rule = line.Trim();
            var words = Words(rule);
            if (words.Count < 2 || words[0] != "-A" || !words.Where((w, i) => w is "-j" or "--jump" && i + 1 < words.Count && words[i + 1] == "DNAT").Any())
            {
                continue;
            }

            var match = PortMatch.Any;
            for (var i = 0; i + 1 < words.Count; i++)
            {
                var negated = i > 0 && words[i - 1] == "!";
                var value = words[i + 1];
                switch (words[i])
                {
                    case "-p" or "--protocol":
                        match = match.Keep(p => p.Name() == value || value == (p == Protocol.Tcp ? "6" : "17"), negated);
                        break;
                    case "--dport" or "--destination-port" or "--dports" or "--destination-ports" when LegacyPorts(value) is { } read:
                        match = match.Keep(read, negated);
                        break;
                }
            }

            foreach (var range in protect.Where(match.MayPass))
            {
                yield return (rule, range);
            }
        }
    }

    /// <summary>iptables' port syntax: <c>22</c>, <c>6000:6100</c>, <c>80,443,7000:7100</c>; null when unreadable.</summary>
    private static PortSet? LegacyPorts(string text)
    {
        var intervals = new List<(int, int)>();
        foreach (var part in text.Split(','))
        {
            var bounds = part.Split(':');
            if (bounds.Length is < 1 or > 2 || !bounds.All(b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                return null;
            }

            var first = int.Parse(bounds[0], CultureInfo.InvariantCulture);
            intervals.Add((first, bounds.Length == 2 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : first));
        }

        return PortSet.Of(intervals);
    }

    /// <summary>The words of one <c>-S</c> line; a double-quoted comment is one word.</summary>
    private static List<string> Words(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }
            }
            else
            {
                word.Append(c);
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
