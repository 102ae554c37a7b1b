using System.Text;
using System.Text.Json.Nodes;

using Berth.Oci.Json;

namespace Berth.Cli.Templates;

/// <summary>
/// text/template's predefined functions (and, or, not, len, index, slice, print, printf,
/// println, html, js, urlquery, call, eq, ne, lt, le, gt, ge) with Go's semantics and errors.
/// </summary>
/// <remarks>
/// Two deliberate departures from Go over <c>map[string]interface{}</c> data, chosen because
/// docker evaluates inspect templates over typed structs, where these are typed nil maps and
/// slices and string maps: <c>index</c> of a missing key in an all-string JSON object, or of a
/// JSON null with a string key, is <c>""</c> (so <c>{{index .Config.Labels "x"}}</c> prints an
/// empty line as docker does), and <c>len</c> of a JSON null is 0.
/// </remarks>
internal static class Builtins
{
    private static readonly ArgType[] OneValue = [ArgType.Value];
    private static readonly ArgType[] TwoValues = [ArgType.Value, ArgType.Value];

    public static Dictionary<string, FuncDef> Create() => new(StringComparer.Ordinal)
    {
        ["and"] = new FuncDef(TwoValues, _ => Val.Invalid, variadic: true, SpecialForm.And),
        ["or"] = new FuncDef(TwoValues, _ => Val.Invalid, variadic: true, SpecialForm.Or),
        ["call"] = new FuncDef(TwoValues, _ => Val.Invalid, variadic: true, SpecialForm.Call),
        ["html"] = new FuncDef([ArgType.Any], a => Val.Of(HtmlEscape(EvalArgs(a))), variadic: true),
        ["js"] = new FuncDef([ArgType.Any], a => Val.Of(JsEscape(EvalArgs(a))), variadic: true),
        ["urlquery"] = new FuncDef([ArgType.Any], a => Val.Of(QueryEscape(EvalArgs(a))), variadic: true),
        ["index"] = new FuncDef(TwoValues, Index, variadic: true),
        ["slice"] = new FuncDef(TwoValues, Slice, variadic: true),
        ["len"] = new FuncDef(OneValue, a => Val.Of(Length(a[0]))),
        ["not"] = new FuncDef(OneValue, a => Val.Of(!Truth(a[0]))),
        ["print"] = new FuncDef([ArgType.Any], a => Val.Of(GoFmt.Sprint(AnyArgs(a, 0))), variadic: true),
        ["printf"] = new FuncDef([ArgType.String, ArgType.Any],
            a => Val.Of(GoFmt.Sprintf((string)a[0].Raw!, AnyArgs(a, 1))), variadic: true),
        ["println"] = new FuncDef([ArgType.Any], a => Val.Of(GoFmt.Sprintln(AnyArgs(a, 0))), variadic: true),
        ["eq"] = new FuncDef(TwoValues, a => Val.Of(Eq(a[0], a.AsSpan(1))), variadic: true),
        ["ne"] = new FuncDef(TwoValues, a => Val.Of(!Eq(a[0], a.AsSpan(1)))),
        ["lt"] = new FuncDef(TwoValues, a => Val.Of(Lt(a[0], a[1]))),
        ["le"] = new FuncDef(TwoValues, a => Val.Of(Le(a[0], a[1]))),
        ["gt"] = new FuncDef(TwoValues, a => Val.Of(!Le(a[0], a[1]))),
        ["ge"] = new FuncDef(TwoValues, a => Val.Of(!Lt(a[0], a[1]))),
    };

    public static bool Truth(Val v) => GoValues.IsTrue(v.Unboxed, out _);

    private static object?[] AnyArgs(Val[] a, int from)
    {
        var result = new object?[a.Length - from];
        for (int i = from; i < a.Length; i++) result[i - from] = a[i].AsAny;
        return result;
    }

    // ---- index, slice, len ----

    private static int IndexArg(Val index, int cap)
    {
        long x = index.Raw switch
        {
            long l when index.IsValid => l,
            ulong u when index.IsValid => unchecked((long)u),
            byte b when index.IsValid => b,
            _ => index.IsValid && index.Raw is not null
                ? throw new TemplateFunctionException("cannot index slice/array with type " + GoValues.TypeName(index))
                : throw new TemplateFunctionException("cannot index slice/array with nil"),
        };
        if (x < 0 || x > cap) throw new TemplateFunctionException("index out of range: " + x);
        return (int)x;
    }

    private static Val Index(Val[] a)
    {
        var item = a[0];
        if (!item.IsNilInterface)
        {
            item = item.Unboxed;
            if (!item.IsValid) throw new TemplateFunctionException("index of untyped nil");
        }
        for (int k = 1; k < a.Length; k++)
        {
            var index = a[k].Unboxed;
            if (item.IsNilInterface)
            {
                // A JSON null where docker has a typed nil map or slice (the labels of an image
                // without labels, a port without bindings): a nil map[string]string yields "",
                // a nil slice has no elements.
                if (index.Raw is string)
                {
                    item = Val.Of("");
                    continue;
                }
                if (index.Raw is not (long or ulong or byte)) throw new TemplateFunctionException("index of nil pointer");
                item = Val.Of(Array.Empty<object?>());
            }
            object raw = item.Raw!;
            if (raw is string s)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(s);
                int x = IndexArg(index, bytes.Length);
                if (x == bytes.Length) throw new TemplateFunctionException("reflect: string index out of range");
                item = Val.Of(bytes[x]);
            }
            else if (GoValues.IsList(raw))
            {
                int count = GoValues.ListCount(raw);
                int x = IndexArg(index, count);
                if (x == count) throw new TemplateFunctionException("reflect: slice index out of range");
                item = GoValues.ListElement(raw, x);
            }
            else if (raw is JsonObject map)
            {
                if (!index.IsValid) throw new TemplateFunctionException("value is nil; should be of type string");
                if (index.Raw is not string key)
                    throw new TemplateFunctionException("value has type " + GoValues.TypeName(index) + "; should be string");
                if (map.TryGetPropertyValue(key, out var node))
                    item = Val.Boxed(GoValues.FromJson(node));
                else
                    item = GoValues.IsStringMap(map) ? Val.Of("") : Val.NilInterface;
            }
            else
            {
                throw new TemplateFunctionException("can't index item of type " + GoValues.TypeName(item));
            }
        }
        return item;
    }

    private static Val Slice(Val[] a)
    {
        var item = a[0].Unboxed;
        if (!item.IsValid) throw new TemplateFunctionException("slice of untyped nil");
        int nIndexes = a.Length - 1;
        if (nIndexes > 3) throw new TemplateFunctionException("too many slice indexes: " + nIndexes);
        object raw = item.Raw!;
        int cap;
        int length;
        byte[]? bytes = null;
        if (raw is string s)
        {
            if (nIndexes == 3) throw new TemplateFunctionException("cannot 3-index slice a string");
            bytes = Encoding.UTF8.GetBytes(s);
            cap = length = bytes.Length;
        }
        else if (GoValues.IsList(raw))
        {
            cap = length = GoValues.ListCount(raw);
        }
        else
        {
            throw new TemplateFunctionException("can't slice item of type " + GoValues.TypeName(item));
        }
        int[] idx = [0, length, 0];
        for (int i = 0; i < nIndexes; i++) idx[i] = IndexArg(a[i + 1].Unboxed, cap);
        if (idx[0] > idx[1]) throw new TemplateFunctionException($"invalid slice index: {idx[0]} > {idx[1]}");
        if (nIndexes == 3 && idx[1] > idx[2]) throw new TemplateFunctionException($"invalid slice index: {idx[1]} > {idx[2]}");
        if (bytes is not null) return Val.Of(Encoding.UTF8.GetString(bytes, idx[0], idx[1] - idx[0]));
        return Val.Of(GoValues.SliceList(raw, idx[0], idx[1]));
    }

    private static long Length(Val item)
    {
        if (item.IsNilInterface) return 0; // a typed nil map or slice in docker's structs
        if (!item.IsValid) throw new TemplateFunctionException("reflect: call of reflect.Value.Type on zero Value");
        return item.Raw switch
        {
            string s => Encoding.UTF8.GetByteCount(s),
            JsonObject o => o.Count,
            _ when GoValues.IsList(item.Raw) => GoValues.ListCount(item.Raw!),
            _ => throw new TemplateFunctionException("len of type " + GoValues.TypeOf(item.Raw)),
        };
    }

    // ---- comparison ----

    private enum ReflectKind
    {
        Invalid,
        Bool,
        Int,
        Uint,
        Float,
        String,
        Map,
        Slice,
        Struct,
        Func,
    }

    private static ReflectKind KindOf(Val v)
    {
        if (!v.IsValid || v.Raw is null) return ReflectKind.Invalid;
        return v.Raw switch
        {
            bool => ReflectKind.Bool,
            long => ReflectKind.Int,
            ulong or byte => ReflectKind.Uint,
            double => ReflectKind.Float,
            string => ReflectKind.String,
            JsonObject => ReflectKind.Map,
            TemplateObject => ReflectKind.Struct,
            TemplateFunction => ReflectKind.Func,
            _ => ReflectKind.Slice,
        };
    }

    // Go 1.24's wording (docker 28 is built with it); later Go versions append the two types.
    private const string IncompatibleTypes = "incompatible types for comparison";

    private static bool Eq(Val arg1, ReadOnlySpan<Val> arg2)
    {
        arg1 = arg1.Unboxed;
        if (arg2.Length == 0) throw new TemplateFunctionException("missing argument for comparison");
        var k1 = GoValues.KindOf(arg1);
        foreach (var a in arg2)
        {
            var arg = a.Unboxed;
            var k2 = GoValues.KindOf(arg);
            bool truth = false;
            if (k1 != k2)
            {
                if (k1 == BasicKind.Int && k2 == BasicKind.Uint)
                    truth = (long)arg1.Raw! >= 0 && (ulong)(long)arg1.Raw! == GoValues.AsUint(arg.Raw);
                else if (k1 == BasicKind.Uint && k2 == BasicKind.Int)
                    truth = (long)arg.Raw! >= 0 && GoValues.AsUint(arg1.Raw) == (ulong)(long)arg.Raw!;
                else if (arg1.IsValid && arg.IsValid)
                    throw new TemplateFunctionException(IncompatibleTypes);
            }
            else
            {
                switch (k1)
                {
                    case BasicKind.Bool: truth = (bool)arg1.Raw! == (bool)arg.Raw!; break;
                    case BasicKind.Float: truth = (double)arg1.Raw! == (double)arg.Raw!; break;
                    case BasicKind.Int: truth = (long)arg1.Raw! == (long)arg.Raw!; break;
                    case BasicKind.String: truth = (string)arg1.Raw! == (string)arg.Raw!; break;
                    case BasicKind.Uint: truth = GoValues.AsUint(arg1.Raw) == GoValues.AsUint(arg.Raw); break;
                    default:
                        var r1 = KindOf(arg1);
                        var r2 = KindOf(arg);
                        if (r1 != r2 && r1 != ReflectKind.Invalid && r2 != ReflectKind.Invalid)
                            throw new TemplateFunctionException(GoFmt.Sprintf("non-comparable types %s: %v, %s: %v",
                                [arg1.Raw, GoValues.TypeName(arg1), GoValues.TypeName(arg), arg.Raw]));
                        if (r1 == ReflectKind.Invalid || r2 == ReflectKind.Invalid)
                        {
                            truth = r1 == r2;
                        }
                        else
                        {
                            if (r2 is ReflectKind.Map or ReflectKind.Slice or ReflectKind.Func)
                                throw new TemplateFunctionException(GoFmt.Sprintf("non-comparable type %s: %v",
                                    [arg.Raw, GoValues.TypeName(arg)]));
                            truth = ReferenceEquals(arg1.Raw, arg.Raw);
                        }
                        break;
                }
            }
            if (truth) return true;
        }
        return false;
    }

    private static bool Lt(Val arg1, Val arg2)
    {
        arg1 = arg1.Unboxed;
        var k1 = GoValues.KindOf(arg1);
        if (k1 == BasicKind.Invalid) throw new TemplateFunctionException("invalid type for comparison");
        arg2 = arg2.Unboxed;
        var k2 = GoValues.KindOf(arg2);
        if (k2 == BasicKind.Invalid) throw new TemplateFunctionException("invalid type for comparison");
        if (k1 != k2)
        {
            if (k1 == BasicKind.Int && k2 == BasicKind.Uint)
                return (long)arg1.Raw! < 0 || (ulong)(long)arg1.Raw! < GoValues.AsUint(arg2.Raw);
            if (k1 == BasicKind.Uint && k2 == BasicKind.Int)
                return (long)arg2.Raw! >= 0 && GoValues.AsUint(arg1.Raw) < (ulong)(long)arg2.Raw!;
            throw new TemplateFunctionException(IncompatibleTypes);
        }
        return k1 switch
        {
            BasicKind.Bool => throw new TemplateFunctionException("invalid type for comparison"),
            BasicKind.Float => (double)arg1.Raw! < (double)arg2.Raw!,
            BasicKind.Int => (long)arg1.Raw! < (long)arg2.Raw!,
            BasicKind.String => Utf8Order.Instance.Compare((string)arg1.Raw!, (string)arg2.Raw!) < 0,
            _ => GoValues.AsUint(arg1.Raw) < GoValues.AsUint(arg2.Raw),
        };
    }

    private static bool Le(Val arg1, Val arg2) => Lt(arg1, arg2) || Eq(arg1, [arg2]);

    // ---- escapers ----

    /// <summary>fmt.Sprint of the arguments, except that a missing value reads <c>&lt;no value&gt;</c>.</summary>
    private static string EvalArgs(Val[] a)
    {
        if (a.Length == 1 && a[0].AsAny is string only) return only;
        var args = new object?[a.Length];
        for (int i = 0; i < a.Length; i++) args[i] = a[i].AsAny ?? "<no value>";
        return GoFmt.Sprint(args);
    }

    public static string HtmlEscape(string s)
    {
        if (s.IndexOfAny(['\'', '"', '&', '<', '>', '\0']) < 0) return s;
        var sb = new StringBuilder(s.Length + 16);
        foreach (char c in s)
        {
            switch (c)
            {
                case '\0': sb.Append('\uFFFD'); break;
                case '"': sb.Append("&#34;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    public static string JsEscape(string s)
    {
        const string hex = "0123456789ABCDEF";
        var sb = new StringBuilder(s.Length + 16);
        foreach (var r in s.EnumerateRunes())
        {
            int c = r.Value;
            if (c < 0x80)
            {
                switch (c)
                {
                    case '\\': sb.Append(@"\\"); continue;
                    case '\'': sb.Append(@"\'"); continue;
                    case '"': sb.Append("\\\""); continue;
                    case '<': sb.Append(@"\u003C"); continue;
                    case '>': sb.Append(@"\u003E"); continue;
                    case '&': sb.Append(@"\u0026"); continue;
                    case '=': sb.Append(@"\u003D"); continue;
                }
                if (c < ' ') sb.Append(@"\u00").Append(hex[c >> 4]).Append(hex[c & 0xF]);
                else sb.Append((char)c);
                continue;
            }
            if (GoQuote.IsPrint(c)) sb.Append(r.ToString());
            else sb.Append(@"\u").Append(c.ToString(c > 0xFFFF ? "X" : "X4", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>net/url.QueryEscape.</summary>
    public static string QueryEscape(string s)
    {
        const string hex = "0123456789ABCDEF";
        var sb = new StringBuilder(s.Length + 16);
        foreach (byte b in Encoding.UTF8.GetBytes(s))
        {
            char c = (char)b;
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_' or '.' or '~')
                sb.Append(c);
            else if (c == ' ')
                sb.Append('+');
            else
                sb.Append('%').Append(hex[b >> 4]).Append(hex[b & 0xF]);
        }
        return sb.ToString();
    }
}
