namespace Berth.Cli.Templates;

/// <summary>
/// The Go parameter type a <see cref="TemplateFunction"/> declares. The executor checks
/// arguments against it with Go's rules and messages (<c>wrong type for value; expected
/// string; got int</c>, <c>expected integer; found "x"</c>) before the body runs.
/// </summary>
public enum TemplateParameter
{
    /// <summary>Go <c>interface{}</c>: anything; a missing value arrives as null.</summary>
    Any,
    /// <summary>Go <c>string</c>; the body receives a <see cref="string"/>.</summary>
    String,
    /// <summary>Go <c>int</c>; the body receives a <see cref="long"/>.</summary>
    Int,
    /// <summary>Go <c>bool</c>; the body receives a <see cref="bool"/>.</summary>
    Bool,
    /// <summary>Go <c>float64</c>; the body receives a <see cref="double"/>.</summary>
    Float,
    /// <summary>Go <c>[]string</c>; the body receives an <see cref="IReadOnlyList{String}"/>.
    /// A JSON array whose elements are all strings is accepted, as docker's typed fields are.</summary>
    StringList,
}

/// <summary>
/// A function callable from a template: an entry of a Go <c>template.FuncMap</c>, a method of a
/// <see cref="TemplateObject"/>, or a function value used with <c>call</c>.
/// </summary>
/// <remarks>
/// Values passed in and returned use the template value model: <c>null</c> (Go nil),
/// <see cref="string"/>, <see cref="bool"/>, <see cref="long"/>, <see cref="ulong"/>,
/// <see cref="double"/>, <see cref="System.Text.Json.Nodes.JsonObject"/> (a map),
/// <see cref="System.Text.Json.Nodes.JsonArray"/> (a slice), <see cref="IReadOnlyList{String}"/>
/// (a <c>[]string</c>), <see cref="IReadOnlyList{Object}"/> (a <c>[]interface{}</c>),
/// <see cref="TemplateObject"/> and <see cref="TemplateFunction"/>. A body returning a
/// <see cref="System.Text.Json.Nodes.JsonValue"/> or a smaller integer type is normalised.
/// A body fails the call by throwing; the template error then reads
/// <c>error calling NAME: MESSAGE</c>.
/// </remarks>
public sealed class TemplateFunction
{
    /// <param name="parameters">Declared parameter types, in order.</param>
    /// <param name="body">The implementation; receives one value per argument.</param>
    /// <param name="variadic">If true, the last parameter repeats zero or more times (Go's <c>...T</c>).</param>
    public TemplateFunction(IReadOnlyList<TemplateParameter> parameters,
        Func<IReadOnlyList<object?>, object?> body, bool variadic = false)
    {
        if (variadic && parameters.Count == 0)
            throw new ArgumentException("a variadic function needs at least one parameter", nameof(parameters));
        Parameters = parameters;
        Body = body;
        IsVariadic = variadic;
    }

    public IReadOnlyList<TemplateParameter> Parameters { get; }

    public Func<IReadOnlyList<object?>, object?> Body { get; }

    public bool IsVariadic { get; }

    /// <summary>A function of fixed arity.</summary>
    public static TemplateFunction Of(Func<IReadOnlyList<object?>, object?> body, params TemplateParameter[] parameters) =>
        new(parameters, body);

    /// <summary>The Go signature, as Go prints a func type (<c>func(string, int) interface {}</c>).</summary>
    public string GoTypeName
    {
        get
        {
            var names = new string[Parameters.Count];
            for (int i = 0; i < names.Length; i++)
            {
                string name = GoValues.ParameterTypeName(Parameters[i]);
                names[i] = IsVariadic && i == names.Length - 1 ? "..." + name : name;
            }
            return "func(" + string.Join(", ", names) + ") interface {}";
        }
    }
}
