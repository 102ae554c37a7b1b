using System.Text.Json.Nodes;

namespace Berth.Cli.Templates;

/// <summary>
/// A value that templates see as a Go struct rather than a map: the docker CLI's formatter
/// contexts (a <c>docker ps</c> row, a <c>docker context ls</c> row) are structs with methods,
/// so a field that does not exist is an error, not <c>&lt;no value&gt;</c>, and methods such as
/// <c>{{.Label "com.example"}}</c> take arguments.
/// </summary>
/// <remarks>
/// <para>Field lookup order follows Go: a method of the given name wins over a field.</para>
/// <para><c>{{json .}}</c> of a formatter context in docker goes through the context's
/// MarshalJSON, which builds a Go map and marshals it with HTML escaping: keys come out sorted
/// and <c>&lt; &gt; &amp;</c> as <c>\u003c \u003e \u0026</c>; the <c>json</c> function does the
/// same for every <see cref="TemplateObject"/>.</para>
/// </remarks>
public sealed class TemplateObject
{
    private static readonly IReadOnlyDictionary<string, TemplateFunction> NoMethods =
        new Dictionary<string, TemplateFunction>();

    /// <param name="fields">The fields, as formatted values (strings, numbers, bools, nested JSON).</param>
    /// <param name="methods">Callables reached as <c>.Name arg...</c>; may be null.</param>
    /// <param name="typeName">The Go type name used in error messages, e.g.
    /// <c>*formatter.ContainerContext</c>, so that messages read as docker's do.</param>
    public TemplateObject(JsonObject fields,
        IReadOnlyDictionary<string, TemplateFunction>? methods = null,
        string typeName = "struct")
    {
        Fields = fields;
        Methods = methods ?? NoMethods;
        TypeName = typeName;
    }

    public JsonObject Fields { get; }

    public IReadOnlyDictionary<string, TemplateFunction> Methods { get; }

    public string TypeName { get; }
}
