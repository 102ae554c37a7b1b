using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

using Berth.Oci.Json;

namespace Berth.Cli.Templates;

/// <summary>The kinds Go's comparison functions distinguish (text/template's basicKind).</summary>
internal enum BasicKind
{
    Invalid,
    Bool,
    Int,
    Float,
    String,
    Uint,
}

/// <summary>
/// The template value model: conversion from JSON, Go type names, kinds, truth and container access.
/// </summary>
/// <remarks>
/// JSON numbers are typed as docker's Go structs type them: an integral number is a Go
/// <c>int</c> (<see cref="long"/>, or <see cref="ulong"/> beyond its range), any other number a
/// <c>float64</c>. So <c>{{.State.Pid}}</c> prints <c>1234</c>, not <c>1234e+00</c>-style float text.
/// </remarks>
internal static class GoValues
{
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o,
        JsonArray a => a,
        JsonValue v => FromJsonValue(v),
        _ => null,
    };

    private static object? FromJsonValue(JsonValue value)
    {
        if (value.TryGetValue(out JsonElement element))
            return FromElement(element);
        if (value.TryGetValue(out string? s)) return s;
        if (value.TryGetValue(out bool b)) return b;
        if (value.TryGetValue(out long l)) return l;
        if (value.TryGetValue(out int i)) return (long)i;
        if (value.TryGetValue(out ulong ul)) return Normalize(ul);
        if (value.TryGetValue(out uint ui)) return (long)ui;
        if (value.TryGetValue(out short sh)) return (long)sh;
        if (value.TryGetValue(out byte by)) return (long)by;
        if (value.TryGetValue(out double d)) return d;
        if (value.TryGetValue(out float f)) return (double)f;
        if (value.TryGetValue(out decimal m)) return (double)m;
        if (value.TryGetValue(out char c)) return c.ToString();
        return value.GetValueKind() switch
        {
            JsonValueKind.Null => null,
            _ => value.ToJsonString(),
        };
    }

    private static object? FromElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => ParseNumber(element.GetRawText()),
        JsonValueKind.Object => JsonObject.Create(element),
        JsonValueKind.Array => JsonArray.Create(element),
        _ => null,
    };

    /// <summary>A JSON number text as the Go type docker's structs would decode it into.</summary>
    public static object ParseNumber(string text)
    {
        bool integral = text.IndexOfAny(['.', 'e', 'E']) < 0;
        if (integral)
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)) return l;
            if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong u)) return u;
        }
        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>Brings a value returned by a function body into the value model.</summary>
    public static object? Normalize(object? raw) => raw switch
    {
        null => null,
        string or bool or long or double or JsonObject or JsonArray or TemplateObject or TemplateFunction => raw,
        ulong u => u <= long.MaxValue ? (long)u : u,
        int i => (long)i,
        uint ui => (long)ui,
        short s => (long)s,
        ushort us => (long)us,
        sbyte sb => (long)sb,
        byte b => b,
        float f => (double)f,
        decimal m => (double)m,
        char c => c.ToString(),
        JsonValue v => FromJsonValue(v),
        IReadOnlyList<string> => raw,
        IReadOnlyList<object?> => raw,
        _ => raw.ToString(),
    };

    public static string TypeName(Val v) => v.State switch
    {
        ValState.Invalid => "<nil>",
        ValState.Interface => "interface {}",
        _ => TypeOf(v.Raw),
    };

    /// <summary>The Go type name of a concrete value, as <c>%T</c> would print it.</summary>
    public static string TypeOf(object? raw) => raw switch
    {
        null => "<nil>",
        string => "string",
        bool => "bool",
        long => "int",
        ulong => "uint64",
        byte => "uint8",
        double => "float64",
        JsonObject => "map[string]interface {}",
        JsonArray => "[]interface {}",
        IReadOnlyList<string> => "[]string",
        IReadOnlyList<object?> => "[]interface {}",
        TemplateObject t => t.TypeName,
        TemplateFunction f => f.GoTypeName,
        _ => raw.GetType().Name,
    };

    public static string ParameterTypeName(TemplateParameter p) => p switch
    {
        TemplateParameter.String => "string",
        TemplateParameter.Int => "int",
        TemplateParameter.Bool => "bool",
        TemplateParameter.Float => "float64",
        TemplateParameter.StringList => "[]string",
        _ => "interface {}",
    };

    public static BasicKind KindOf(Val v)
    {
        if (!v.IsValid) return BasicKind.Invalid;
        return v.Raw switch
        {
            bool => BasicKind.Bool,
            long => BasicKind.Int,
            ulong or byte => BasicKind.Uint,
            double => BasicKind.Float,
            string => BasicKind.String,
            _ => BasicKind.Invalid,
        };
    }

    public static ulong AsUint(object? raw) => raw switch
    {
        ulong u => u,
        byte b => b,
        long l => (ulong)l,
        _ => 0,
    };

    /// <summary>Go's isTrue. False for ok means the value has no truth (a function, say).</summary>
    public static bool IsTrue(Val v, out bool ok)
    {
        ok = true;
        if (!v.IsValid) return false;
        switch (v.Raw)
        {
            case null: return false;
            case bool b: return b;
            case string s: return s.Length > 0;
            case long l: return l != 0;
            case ulong u: return u != 0;
            case byte by: return by != 0;
            case double d: return d != 0;
            case JsonObject o: return o.Count > 0;
            case JsonArray a: return a.Count > 0;
            case IReadOnlyList<string> ls: return ls.Count > 0;
            case IReadOnlyList<object?> lo: return lo.Count > 0;
            case TemplateObject: return true;
            case TemplateFunction: return true;
            default:
                ok = false;
                return false;
        }
    }

    public static bool IsList(object? raw) => raw is JsonArray or IReadOnlyList<string> or IReadOnlyList<object?>;

    public static int ListCount(object raw) => raw switch
    {
        JsonArray a => a.Count,
        IReadOnlyList<string> ls => ls.Count,
        IReadOnlyList<object?> lo => lo.Count,
        _ => 0,
    };

    /// <summary>Element <paramref name="i"/> of a slice, with the static type its container gives it.</summary>
    public static Val ListElement(object raw, int i) => raw switch
    {
        JsonArray a => Val.Boxed(FromJson(a[i])),
        IReadOnlyList<string> ls => Val.Of(ls[i]),
        IReadOnlyList<object?> lo => Val.Boxed(lo[i]),
        _ => Val.Invalid,
    };

    /// <summary>A sub-slice, keeping the slice's element type.</summary>
    public static object SliceList(object raw, int from, int to) => raw switch
    {
        JsonArray a => Enumerable.Range(from, to - from).Select(i => FromJson(a[i])).ToArray(),
        IReadOnlyList<string> ls => ls.Skip(from).Take(to - from).ToArray(),
        IReadOnlyList<object?> lo => lo.Skip(from).Take(to - from).ToArray(),
        _ => Array.Empty<object?>(),
    };

    /// <summary>Map keys in the order Go's fmt and range visit them: sorted bytewise.</summary>
    public static IEnumerable<KeyValuePair<string, JsonNode?>> SortedEntries(JsonObject map) =>
        map.OrderBy(kv => kv.Key, Utf8Order.Instance);

    /// <summary>All strings: the shape of Go's <c>map[string]string</c> (labels, options).</summary>
    public static bool IsStringMap(JsonObject map)
    {
        foreach (var kv in map)
            if (kv.Value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                return false;
        return true;
    }

    /// <summary>Converts a JSON array of strings to Go's <c>[]string</c>, or null if it is not one.</summary>
    public static IReadOnlyList<string>? AsStringList(object? raw)
    {
        switch (raw)
        {
            case IReadOnlyList<string> ls: return ls;
            case JsonArray a:
                var result = new string[a.Count];
                for (int i = 0; i < a.Count; i++)
                {
                    if (FromJson(a[i]) is not string s) return null;
                    result[i] = s;
                }
                return result;
            default: return null;
        }
    }
}
