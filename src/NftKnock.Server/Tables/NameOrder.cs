using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace NftKnock.Server.Tables;

/// <summary>
/// A read-only dictionary by object name that lists its entries in ordinal name order, like the
/// <c>SortedDictionary</c> it replaces: that one's generic code is not compiled ahead of time for
/// these types, and compiling it at run time cost status about 30 ms of a short process.
/// </summary>
internal sealed class NameOrder<T> : IReadOnlyDictionary<string, T>
{
    private readonly Dictionary<string, T> byName;
    private readonly string[] names;

    public NameOrder(Dictionary<string, T> byName)
    {
        this.byName = byName;
        names = [.. byName.Keys];
        Array.Sort(names, StringComparer.Ordinal);
    }

    public int Count => names.Length;

    public IEnumerable<string> Keys => names;

    public IEnumerable<T> Values => names.Select(name => byName[name]);

    public T this[string key] => byName[key];

    public bool ContainsKey(string key) => byName.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out T value) => byName.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, T>> GetEnumerator() => names.Select(name => KeyValuePair.Create(name, byName[name])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
