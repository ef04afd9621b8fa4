namespace NftKnock.Client.Profiles;

/// <summary>Host names and globs as profiles list them: <c>*</c> matches any run of characters, <c>?</c> one.</summary>
public static class HostPattern
{
    /// <summary>True when the pattern has a wildcard.</summary>
    public static bool IsGlob(string pattern) => pattern.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>True for a usable name or glob: letters, digits, <c>.-_:</c> (IPv6 literals) and wildcards.</summary>
    public static bool IsValid(string pattern)
    {
        if (pattern.Length is 0 or > 253)
        {
            return false;
        }

        foreach (var c in pattern)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '-' or '_' or ':' or '*' or '?' or '%'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Matches a host name against a glob, ignoring case.</summary>
    public static bool Matches(string pattern, string host) => Matches(pattern.AsSpan(), host.AsSpan());

    private static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> host)
    {
        // Iterative glob with one backtrack point: linear for the patterns hosts use.
        int p = 0, h = 0, star = -1, mark = 0;
        while (h < host.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(host[h])))
            {
                p++;
                h++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = h;
            }
            else if (star >= 0)
            {
                p = star + 1;
                h = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
