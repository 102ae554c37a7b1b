namespace Berth.Cli.Templates;

/// <summary>How a value is held, mirroring the three shapes of a Go <c>reflect.Value</c> that
/// text/template distinguishes.</summary>
internal enum ValState : byte
{
    /// <summary>The zero reflect.Value: a missing map key, an unset variable. Prints <c>&lt;no value&gt;</c>.</summary>
    Invalid,
    /// <summary>A value of a concrete type (a pipeline result, a literal, a function result).</summary>
    Concrete,
    /// <summary>A value read out of a <c>map[string]interface{}</c> or <c>[]interface{}</c>: its
    /// static type is <c>interface {}</c>, which shows in error messages, and it may be a nil interface.</summary>
    Interface,
}

/// <summary>
/// A value during execution. <see cref="Raw"/> uses the public template value model
/// (see <see cref="TemplateFunction"/>); <see cref="State"/> carries what Go's reflection would.
/// </summary>
internal readonly struct Val
{
    public readonly object? Raw;
    public readonly ValState State;

    private Val(object? raw, ValState state)
    {
        Raw = raw;
        State = state;
    }

    public static readonly Val Invalid = default;

    public static readonly Val NilInterface = new(null, ValState.Interface);

    /// <summary>A concrete value; a null becomes a nil interface (Go has no untyped concrete nil).</summary>
    public static Val Of(object? raw) => raw is null ? NilInterface : new Val(raw, ValState.Concrete);

    /// <summary>An element of an interface-typed container.</summary>
    public static Val Boxed(object? raw) => new(raw, ValState.Interface);

    public bool IsValid => State != ValState.Invalid;

    public bool IsNilInterface => State == ValState.Interface && Raw is null;

    /// <summary>Go's indirectInterface: the dynamic value inside an interface, or invalid for a nil one.</summary>
    public Val Unboxed => State == ValState.Interface ? (Raw is null ? Invalid : new Val(Raw, ValState.Concrete)) : this;

    /// <summary>The value as an <c>interface{}</c> argument sees it: missing values become nil.</summary>
    public object? AsAny => State == ValState.Invalid ? null : Raw;
}
