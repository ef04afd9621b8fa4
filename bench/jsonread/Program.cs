// Reads one saved `nft -j list table` listing many times in one process, in rounds that alternate
// the readers, and prints each reader's median and minimum milliseconds per pass:
//
//   jsonread LISTING.json [ROUNDS]
//
// scanner and utf8reader walk every token and do the same work per token (a string value decoded
// to a string, a number parsed as a 64-bit integer), so they differ only in the tokenizer;
// readtable is the whole NftJson.ReadTable that status runs.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NftKnock.Server.Nftables;

var listing = File.ReadAllBytes(args[0]);
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
var readers = new (string Name, Func<byte[], long> Pass)[]
{
    ("scanner", Scanner),
    ("utf8reader", Utf8Reader),
    ("readtable", static bytes => NftJson.ReadTable(bytes).SetState.Count),
};
var times = readers.ToDictionary(r => r.Name, _ => new List<double>());
long check = 0;
for (var round = 0; round < rounds + 2; round++)
{
    for (var k = 0; k < readers.Length; k++)
    {
        var (name, pass) = readers[(round + k) % readers.Length];
        var clock = Stopwatch.StartNew();
        check += pass(listing);
        if (round >= 2)
        {
            times[name].Add(clock.Elapsed.TotalMilliseconds);
        }
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"listing {listing.Length} bytes, {rounds} rounds (check {check})"));
foreach (var (name, ms) in times)
{
    ms.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-11} median {ms[ms.Count / 2]:F2} ms  min {ms[0]:F2} ms"));
}

static long Scanner(byte[] bytes)
{
    var reader = new JsonScanner(bytes);
    long sum = 0;
    while (reader.Read())
    {
        sum += reader.TokenType switch
        {
            JsonToken.String => reader.GetString().Length,
            JsonToken.Number => reader.GetInt64() & 1,
            _ => 0,
        };
    }

    return sum;
}

static long Utf8Reader(byte[] bytes)
{
    var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 256 });
    long sum = 0;
    while (reader.Read())
    {
        sum += reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString()!.Length,
            JsonTokenType.Number => reader.GetInt64() & 1,
            _ => 0,
        };
    }

    return sum;
}
