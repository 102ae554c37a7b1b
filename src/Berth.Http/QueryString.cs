using System.Collections;
using System.Text;

namespace Berth.Http;

/// <summary>
/// The query of a request target, parsed on first use as Go's <c>url.ParseQuery</c>: pairs split on <c>&amp;</c>,
/// <c>+</c> and <c>%XX</c> decoded, a pair with an invalid escape or a <c>;</c> dropped. Names are case-sensitive.
/// <see cref="Get"/> gives the first value, as <c>r.FormValue</c> and <c>url.Values.Get</c>, which dockerd reads.
/// </summary>
public sealed class QueryString : IEnumerable<KeyValuePair<string, string>>
{
    public static QueryString Empty { get; } = new([]);

    readonly byte[] _raw;
    List<KeyValuePair<string, string>>? _pairs;

    internal QueryString(byte[] raw) => _raw = raw;

    /// <summary>The query as received, without the <c>?</c>.</summary>
    public string Raw => Encoding.UTF8.GetString(_raw);

    public int Count => Pairs.Count;

    /// <summary>The first value of <paramref name="name"/>, or null when absent.</summary>
    public string? Get(string name)
    {
        foreach (var pair in Pairs)
        {
            if (pair.Key == name)
                return pair.Value;
        }
        return null;
    }

    public IReadOnlyList<string> GetAll(string name)
    {
        List<string>? values = null;
        foreach (var pair in Pairs)
        {
            if (pair.Key == name)
                (values ??= []).Add(pair.Value);
        }
        return values ?? (IReadOnlyList<string>)[];
    }

    public bool Has(string name) => Get(name) is not null;

    /// <summary>
    /// dockerd's <c>BoolValueOrDefault</c>: absent gives <paramref name="defaultValue"/>; present, the value trimmed and
    /// lower-cased is false when it is empty, <c>0</c>, <c>no</c>, <c>false</c> or <c>none</c>, and true otherwise.
    /// </summary>
    public bool GetBool(string name, bool defaultValue = false)
    {
        string? value = Get(name);
        if (value is null)
            return defaultValue;
        var trimmed = value.AsSpan().Trim();
        return !(trimmed.IsEmpty
            || trimmed.Equals("0", StringComparison.Ordinal)
            || trimmed.Equals("no", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("false", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("none", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Each name once, in order of first appearance.</summary>
    public IEnumerable<string> Names
    {
        get
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pair in Pairs)
            {
                if (seen.Add(pair.Key))
                    yield return pair.Key;
            }
        }
    }

    List<KeyValuePair<string, string>> Pairs => _pairs ??= Parse(_raw);

    static List<KeyValuePair<string, string>> Parse(ReadOnlySpan<byte> raw)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        while (!raw.IsEmpty)
        {
            int amp = raw.IndexOf((byte)'&');
            var pair = amp < 0 ? raw : raw[..amp];
            raw = amp < 0 ? [] : raw[(amp + 1)..];
            if (pair.IsEmpty || pair.Contains((byte)';'))
                continue;
            int eq = pair.IndexOf((byte)'=');
            var key = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? [] : pair[(eq + 1)..];
            if (UrlDecoding.TryDecodeQueryComponent(key, out string k) && UrlDecoding.TryDecodeQueryComponent(value, out string v))
                pairs.Add(new(k, v));
        }
        return pairs;
    }

    public List<KeyValuePair<string, string>>.Enumerator GetEnumerator() => Pairs.GetEnumerator();

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
