using System.Globalization;
using System.Text;

namespace Berth.Cli.Templates;

/// <summary>
/// The functions the docker CLI adds to every template (docker/cli templates.basicFunctions):
/// json, split, join, title, lower, upper, pad, truncate; and the replacements it uses when
/// rendering a table header, which leave the header text as it is.
/// </summary>
internal static class DockerFunctions
{
    public static Dictionary<string, FuncDef> Create() => new(StringComparer.Ordinal)
    {
        // docker encodes with SetEscapeHTML(false) and ignores encoding errors (an empty result).
        ["json"] = new FuncDef([ArgType.Any], a => Val.Of(GoJson.Marshal(a[0].AsAny) ?? "")),
        ["split"] = new FuncDef([ArgType.String, ArgType.String], a => Val.Of(Split((string)a[0].Raw!, (string)a[1].Raw!))),
        ["join"] = new FuncDef([ArgType.StringList, ArgType.String],
            a => Val.Of(string.Join((string)a[1].Raw!, (IReadOnlyList<string>)a[0].Raw!))),
        ["title"] = new FuncDef([ArgType.String], a => Val.Of(Title((string)a[0].Raw!))),
        ["lower"] = new FuncDef([ArgType.String], a => Val.Of(((string)a[0].Raw!).ToLowerInvariant())),
        ["upper"] = new FuncDef([ArgType.String], a => Val.Of(((string)a[0].Raw!).ToUpperInvariant())),
        ["pad"] = new FuncDef([ArgType.String, ArgType.Int, ArgType.Int],
            a => Val.Of(Pad((string)a[0].Raw!, (long)a[1].Raw!, (long)a[2].Raw!))),
        ["truncate"] = new FuncDef([ArgType.String, ArgType.Int], a => Val.Of(Truncate((string)a[0].Raw!, (long)a[1].Raw!))),
    };

    /// <summary>docker's HeaderFunctions: the header row shows column titles untouched (pad is kept).</summary>
    public static Dictionary<string, FuncDef> CreateHeaderOverrides() => new(StringComparer.Ordinal)
    {
        ["json"] = new FuncDef([ArgType.String], a => a[0]),
        ["split"] = new FuncDef([ArgType.String, ArgType.String], a => a[0]),
        ["join"] = new FuncDef([ArgType.String, ArgType.String], a => a[0]),
        ["title"] = new FuncDef([ArgType.String], a => a[0]),
        ["lower"] = new FuncDef([ArgType.String], a => a[0]),
        ["upper"] = new FuncDef([ArgType.String], a => a[0]),
        ["truncate"] = new FuncDef([ArgType.String, ArgType.Int], a => a[0]),
    };

    /// <summary>strings.Split: an empty separator splits after each UTF-8 sequence.</summary>
    private static string[] Split(string s, string sep)
    {
        if (sep.Length > 0) return s.Split(sep);
        var parts = new List<string>();
        foreach (var r in s.EnumerateRunes()) parts.Add(r.ToString());
        return parts.ToArray();
    }

    /// <summary>strings.Title: upper-cases the first letter of each word.</summary>
    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        int prev = ' ';
        foreach (var r in s.EnumerateRunes())
        {
            sb.Append(IsSeparator(prev) ? Rune.ToUpperInvariant(r).ToString() : r.ToString());
            prev = r.Value;
        }
        return sb.ToString();
    }

    private static bool IsSeparator(int r)
    {
        if (r <= 0x7F)
            return !(r is >= '0' and <= '9' or >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_');
        var rune = new Rune(r);
        if (Rune.IsLetter(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.DecimalDigitNumber) return false;
        return Rune.IsWhiteSpace(rune);
    }

    private static string Pad(string source, long prefix, long suffix)
    {
        if (source.Length == 0) return source;
        if (prefix < 0 || suffix < 0) throw new TemplateFunctionException("strings: negative Repeat count");
        return new string(' ', checked((int)prefix)) + source + new string(' ', checked((int)suffix));
    }

    /// <summary>docker truncates by bytes: source[:length].</summary>
    private static string Truncate(string source, long length)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(source);
        if (bytes.Length < length) return source;
        if (length < 0) throw new TemplateFunctionException($"runtime error: slice bounds out of range [:{length}]");
        return Encoding.UTF8.GetString(bytes, 0, (int)length);
    }
}
