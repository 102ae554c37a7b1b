namespace Berth.Cli.Templates;

/// <summary>
/// A failure of a Go text/template, carrying exactly the text Go's error would print
/// (for example <c>template: :1: function "foo" not defined</c>). The docker CLI prefixes
/// this text with <c>template parsing error: </c> for both parse and execution failures;
/// callers add that prefix, the message here is Go's own.
/// </summary>
public abstract class TemplateException : Exception
{
    private protected TemplateException(string message) : base(message) { }
}

/// <summary>The template text is not valid Go template syntax.</summary>
public sealed class TemplateParseException : TemplateException
{
    public TemplateParseException(string message) : base(message) { }
}

/// <summary>The template is valid but failed while being applied to data.</summary>
public sealed class TemplateExecutionException : TemplateException
{
    public TemplateExecutionException(string message) : base(message) { }
}

/// <summary>
/// Thrown by a <see cref="TemplateFunction"/> body to fail the call; the executor reports it as
/// Go does for a function returning an error: <c>error calling NAME: MESSAGE</c>.
/// </summary>
public sealed class TemplateFunctionException : Exception
{
    public TemplateFunctionException(string message) : base(message) { }
}
