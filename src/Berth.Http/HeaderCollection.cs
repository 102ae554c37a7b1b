using System.Collections;

namespace Berth.Http;

/// <summary>
/// A request's header fields in the order received; names compare case-insensitively. A name that appears more than
/// once keeps every value (<see cref="GetAll"/>); <see cref="Get"/> gives the first, as Go's <c>Header.Get</c>.
/// </summary>
public sealed class HeaderCollection : IEnumerable<KeyValuePair<string, string>>
{
    readonly List<KeyValuePair<string, string>> _fields = new(12);

    public int Count => _fields.Count;

    public string? this[string name] => Get(name);

    public string? Get(string name)
    {
        foreach (var field in _fields)
        {
            if (string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
                return field.Value;
        }
        return null;
    }

    public IReadOnlyList<string> GetAll(string name)
    {
        List<string>? values = null;
        foreach (var field in _fields)
        {
            if (string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
                (values ??= []).Add(field.Value);
        }
        return values ?? (IReadOnlyList<string>)[];
    }

    public bool Contains(string name) => Get(name) is not null;

    internal void Add(string name, string value) => _fields.Add(new(name, value));

    public List<KeyValuePair<string, string>>.Enumerator GetEnumerator() => _fields.GetEnumerator();

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
