using System.Text.Json.Nodes;

namespace Berth.Cli.Templates;

/// <summary>What a field lookup of an absent map key yields (Go's <c>missingkey</c> option).</summary>
public enum MissingKeyMode
{
    /// <summary><c>missingkey=default</c>: the missing value, printed as <c>&lt;no value&gt;</c>.</summary>
    Default,
    /// <summary><c>missingkey=error</c>: execution stops with <c>map has no entry for key "X"</c>.
    /// docker's inspect uses this when it falls back from its typed structs to raw JSON.</summary>
    Error,
}

/// <summary>
/// A parsed Go text/template with the docker CLI's functions, as <c>templates.Parse</c> in
/// docker/cli creates it: Go's builtins plus json, split, join, title, lower, upper, pad and
/// truncate, plus any functions the caller adds.
/// </summary>
/// <remarks>
/// <para>Data is the template value model (see <see cref="TemplateFunction"/>): usually a
/// <see cref="JsonNode"/> (the Engine API's JSON: objects are Go maps, arrays slices) or a
/// <see cref="TemplateObject"/> (a formatter row with methods, treated as a Go struct).</para>
/// <para>Errors are <see cref="TemplateParseException"/> and <see cref="TemplateExecutionException"/>
/// with Go's exact text; the docker CLI prints them after <c>template parsing error: </c>.</para>
/// </remarks>
public sealed class GoTemplate
{
    private static readonly IReadOnlyDictionary<string, FuncDef> BuiltinFunctions = Builtins.Create();

    private readonly string _text;
    private readonly Dictionary<string, ListNode> _trees;
    private readonly Dictionary<string, FuncDef> _functions;
    private readonly MissingKeyMode _missingKey;

    private GoTemplate(string text, Dictionary<string, ListNode> trees, Dictionary<string, FuncDef> functions,
        MissingKeyMode missingKey)
    {
        _text = text;
        _trees = trees;
        _functions = functions;
        _missingKey = missingKey;
    }

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <param name="text">The template, as given to <c>--format</c> (without docker's <c>table</c>
    /// prefix handling; see <see cref="DockerFormat"/>).</param>
    /// <param name="extraFunctions">More functions; they win over builtins of the same name, as in Go.</param>
    /// <param name="missingKey">What an absent map key yields.</param>
    /// <exception cref="TemplateParseException">The text is not a valid template.</exception>
    public static GoTemplate Parse(string text, IReadOnlyDictionary<string, TemplateFunction>? extraFunctions = null,
        MissingKeyMode missingKey = MissingKeyMode.Default)
    {
        var functions = DockerFunctions.Create();
        if (extraFunctions is not null)
            foreach (var (name, function) in extraFunctions)
                functions[name] = FuncDef.FromPublic(function);
        var trees = Parser.Parse(text, name => functions.ContainsKey(name) || BuiltinFunctions.ContainsKey(name));
        return new GoTemplate(text, trees, functions, missingKey);
    }

    /// <summary>Applies the template to JSON data and returns the text.</summary>
    /// <exception cref="TemplateExecutionException">Execution failed; no text is returned.</exception>
    public string Execute(JsonNode? data)
    {
        var writer = new StringWriter();
        Execute(writer, data);
        return writer.ToString();
    }

    /// <summary>Applies the template to a struct-like object (a formatter row) and returns the text.</summary>
    public string Execute(TemplateObject data)
    {
        var writer = new StringWriter();
        Execute(writer, data);
        return writer.ToString();
    }

    /// <summary>Applies the template to JSON data, writing as it goes: on failure the text
    /// before the failing action has been written, as with Go.</summary>
    public void Execute(TextWriter output, JsonNode? data) => Run(output, ToVal(data), null);

    /// <summary>Applies the template to a struct-like object, writing as it goes.</summary>
    public void Execute(TextWriter output, TemplateObject data) => Run(output, Val.Of(data), null);

    /// <summary>Applies the template to any value of the template value model.</summary>
    public void ExecuteValue(TextWriter output, object? data) =>
        Run(output, data is JsonNode node ? ToVal(node) : data is null ? Val.Invalid : Val.Of(GoValues.Normalize(data)), null);

    /// <summary>Runs with some functions replaced (docker's header rendering).</summary>
    internal void Run(TextWriter output, Val data, IReadOnlyDictionary<string, FuncDef>? overrides)
    {
        var functions = _functions;
        if (overrides is not null)
        {
            functions = new Dictionary<string, FuncDef>(_functions, StringComparer.Ordinal);
            foreach (var (name, f) in overrides) functions[name] = f;
        }
        new Executor(_text, _trees, functions, BuiltinFunctions, _missingKey, output).Run(data);
    }

    internal static Val ToVal(JsonNode? data) => data is null ? Val.Invalid : Val.Of(GoValues.FromJson(data));
}
