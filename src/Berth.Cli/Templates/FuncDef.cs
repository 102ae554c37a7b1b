namespace Berth.Cli.Templates;

/// <summary>The Go parameter types the executor checks arguments against.</summary>
internal enum ArgType
{
    /// <summary>reflect.Value: the builtins receive the argument untouched, missing values included.</summary>
    Value,
    /// <summary>interface{}: a missing value arrives as nil.</summary>
    Any,
    String,
    Int,
    Bool,
    Float,
    StringList,
}

/// <summary>The builtins whose evaluation is not an ordinary call.</summary>
internal enum SpecialForm
{
    None,
    And,
    Or,
    Call,
}

/// <summary>A function as the executor calls it: declared parameters and an implementation over <see cref="Val"/>s.</summary>
internal sealed class FuncDef
{
    public FuncDef(ArgType[] parameters, Func<Val[], Val> invoke, bool variadic = false, SpecialForm special = SpecialForm.None)
    {
        Parameters = parameters;
        Invoke = invoke;
        IsVariadic = variadic;
        Special = special;
    }

    public ArgType[] Parameters { get; }

    public Func<Val[], Val> Invoke { get; }

    public bool IsVariadic { get; }

    public SpecialForm Special { get; }

    public static string TypeName(ArgType t) => t switch
    {
        ArgType.Value => "reflect.Value",
        ArgType.Any => "interface {}",
        ArgType.String => "string",
        ArgType.Int => "int",
        ArgType.Bool => "bool",
        ArgType.Float => "float64",
        _ => "[]string",
    };

    public static ArgType FromPublic(TemplateParameter p) => p switch
    {
        TemplateParameter.String => ArgType.String,
        TemplateParameter.Int => ArgType.Int,
        TemplateParameter.Bool => ArgType.Bool,
        TemplateParameter.Float => ArgType.Float,
        TemplateParameter.StringList => ArgType.StringList,
        _ => ArgType.Any,
    };

    /// <summary>Adapts a public function: arguments arrive already checked against its parameter types.</summary>
    public static FuncDef FromPublic(TemplateFunction f)
    {
        var parameters = f.Parameters.Select(FromPublic).ToArray();
        return new FuncDef(parameters, argv =>
        {
            var args = new object?[argv.Length];
            for (int i = 0; i < argv.Length; i++) args[i] = argv[i].AsAny;
            return Val.Of(GoValues.Normalize(f.Body(args)));
        }, f.IsVariadic);
    }
}
