using System.Text.Json;

namespace Berth.Engine;

/// <summary>
/// Docker's <c>filters</c> query parameter: a JSON object of name -> values, either as
/// <c>{"label":{"a=b":true}}</c> (what clients send) or the older <c>{"label":["a=b"]}</c>.
/// Names are checked against what the endpoint accepts, with Docker's error text.
/// </summary>
public sealed class Filters
{
    readonly Dictionary<string, List<string>> _values;

    Filters(Dictionary<string, List<string>> values) => _values = values;

    public static Filters Empty { get; } = new([]);

    public bool IsEmpty => _values.Count == 0;

    /// <exception cref="EngineException">Malformed JSON or a filter name not in <paramref name="accepted"/>.</exception>
    public static Filters Parse(string? json, IReadOnlyCollection<string> accepted)
    {
        if (string.IsNullOrEmpty(json))
            return Empty;
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw EngineException.Invalid("invalid filter: expected a JSON object");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var list = new List<string>();
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.Object:
                        foreach (var v in property.Value.EnumerateObject())
                            if (v.Value.ValueKind != JsonValueKind.False)
                                list.Add(v.Name);
                        break;
                    case JsonValueKind.Array:
                        foreach (var v in property.Value.EnumerateArray())
                            list.Add(v.GetString() ?? "");
                        break;
                    default:
                        throw EngineException.Invalid($"invalid filter '{property.Name}': expected an object or an array of values");
                }
                values[property.Name] = list;
            }
        }
        catch (JsonException ex)
        {
            throw EngineException.Invalid($"invalid filter: {ex.Message}");
        }
        foreach (var name in values.Keys)
            if (!accepted.Contains(name))
                throw EngineException.Invalid($"invalid filter '{name}'");
        return new Filters(values);
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public IReadOnlyList<string> Get(string name) => _values.TryGetValue(name, out var list) ? list : [];

    /// <summary>True when the filter is absent or any of its values equals <paramref name="value"/>.</summary>
    public bool MatchesExact(string name, string? value)
        => !_values.TryGetValue(name, out var list) || (value is not null && list.Contains(value));

    /// <summary>
    /// Label filters: every value <c>key</c> or <c>key=value</c> (<c>label!=</c> negated by the caller
    /// with its own name) must hold for <paramref name="labels"/>.
    /// </summary>
    public bool MatchesLabels(string name, IReadOnlyDictionary<string, string>? labels)
    {
        if (!_values.TryGetValue(name, out var list))
            return true;
        foreach (var condition in list)
        {
            int eq = condition.IndexOf('=');
            string key = eq < 0 ? condition : condition[..eq];
            if (labels is null || !labels.TryGetValue(key, out string? actual))
                return false;
            if (eq >= 0 && actual != condition[(eq + 1)..])
                return false;
        }
        return true;
    }
}
