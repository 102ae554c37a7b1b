using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Cli.Templates;

/// <summary>
/// Executes a parsed template over data (Go's text/template exec.go): walks the tree, evaluates
/// pipelines, fields, variables and calls, and prints values as fmt's <c>%v</c> does.
/// One instance per execution.
/// </summary>
internal sealed class Executor
{
    // Go's limit; before it is reached, the thread's stack is (see EnsureStack).
    private const int MaxExecDepth = 100000;

    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    private readonly string _text;
    private readonly IReadOnlyDictionary<string, ListNode> _trees;
    private readonly IReadOnlyDictionary<string, FuncDef> _funcs;
    private readonly IReadOnlyDictionary<string, FuncDef> _builtins;
    private readonly MissingKeyMode _missingKey;
    private readonly TextWriter _output;
    private readonly List<(string Name, Val Value)> _vars = [];
    private string _templateName = "";
    private Node? _node;
    private int _depth;

    public Executor(string text, IReadOnlyDictionary<string, ListNode> trees,
        IReadOnlyDictionary<string, FuncDef> funcs, IReadOnlyDictionary<string, FuncDef> builtins,
        MissingKeyMode missingKey, TextWriter output)
    {
        _text = text;
        _trees = trees;
        _funcs = funcs;
        _builtins = builtins;
        _missingKey = missingKey;
        _output = output;
    }

    public void Run(Val data)
    {
        _vars.Add(("$", data));
        Walk(data, _trees[""]);
    }

    // ---- errors ----

    private TemplateExecutionException Error(string message)
    {
        if (_node is null) return new TemplateExecutionException("template: " + _templateName + ": " + message);
        int pos = _node.Pos;
        int lastNewline = pos == 0 ? -1 : _text.LastIndexOf('\n', pos - 1);
        int line = 1;
        for (int i = 0; i < pos; i++)
            if (_text[i] == '\n') line++;
        int column = lastNewline < 0
            ? Encoding.UTF8.GetByteCount(_text.AsSpan(0, pos))
            : Encoding.UTF8.GetByteCount(_text.AsSpan(lastNewline + 1, pos - lastNewline - 1));
        return new TemplateExecutionException(
            $"template: :{line}:{column}: executing {GoQuote.Quote(_templateName)} at <{_node}>: {message}");
    }

    private void At(Node node) => _node = node;

    // ---- variables ----

    private int Mark() => _vars.Count;

    private void Pop(int mark) => _vars.RemoveRange(mark, _vars.Count - mark);

    private void Push(string name, Val value) => _vars.Add((name, value));

    private void SetVar(string name, Val value)
    {
        for (int i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name == name)
            {
                _vars[i] = (name, value);
                return;
            }
        }
        throw Error("undefined variable: " + name);
    }

    private void SetTopVar(int n, Val value) => _vars[^n] = (_vars[^n].Name, value);

    private Val VarValue(string name)
    {
        for (int i = _vars.Count - 1; i >= 0; i--)
            if (_vars[i].Name == name) return _vars[i].Value;
        throw Error("undefined variable: " + name);
    }

    // ---- walking ----

    /// <summary>Go's stacks grow and ours do not: deep recursion must end in an error, not a crash.</summary>
    private void EnsureStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw Error("exceeded maximum template depth (" + MaxExecDepth + ")");
    }

    private Flow Walk(Val dot, Node node)
    {
        At(node);
        EnsureStack();
        switch (node)
        {
            case ActionNode action:
                // Variables declared here persist until the enclosing {{end}}; a declaration prints nothing.
                var val = EvalPipeline(dot, action.Pipe);
                if (action.Pipe.Decl.Count == 0) PrintValue(action, val);
                return Flow.Normal;
            case BreakNode:
                return Flow.Break;
            case ContinueNode:
                return Flow.Continue;
            case BranchNode { Kind: BranchKind.Range } range:
                WalkRange(dot, range);
                return Flow.Normal;
            case BranchNode branch:
                return WalkIfOrWith(branch, dot);
            case ListNode list:
                foreach (var n in list.Nodes)
                {
                    var flow = Walk(dot, n);
                    if (flow != Flow.Normal) return flow;
                }
                return Flow.Normal;
            case TemplateCallNode call:
                WalkTemplate(dot, call);
                return Flow.Normal;
            case TextNode text:
                _output.Write(text.Text);
                return Flow.Normal;
            default:
                throw Error("unknown node: " + node);
        }
    }

    private Flow WalkIfOrWith(BranchNode branch, Val dot)
    {
        int mark = Mark();
        try
        {
            var val = EvalPipeline(dot, branch.Pipe);
            bool truth = GoValues.IsTrue(val.Unboxed, out bool ok);
            if (!ok) throw Error("if/with can't use " + GoFmt.FormatValue(val.AsAny));
            if (truth) return Walk(branch.Kind == BranchKind.With ? val : dot, branch.List);
            if (branch.ElseList is not null) return Walk(dot, branch.ElseList);
            return Flow.Normal;
        }
        finally
        {
            Pop(mark);
        }
    }

    private void WalkRange(Val dot, BranchNode r)
    {
        At(r);
        int outerMark = Mark();
        try
        {
            var val = EvalPipeline(dot, r.Pipe).Unboxed;
            int mark = Mark();
            bool ran = false;
            bool broke = false;

            void OneIteration(Val index, Val elem)
            {
                var decl = r.Pipe.Decl;
                if (decl.Count > 0)
                {
                    if (r.Pipe.IsAssign) SetVar(decl[0].Ident[0], decl.Count > 1 ? index : elem);
                    else SetTopVar(1, elem);
                }
                if (decl.Count > 1)
                {
                    if (r.Pipe.IsAssign) SetVar(decl[1].Ident[0], elem);
                    else SetTopVar(2, index);
                }
                try
                {
                    if (Walk(elem, r.List) == Flow.Break) broke = true;
                }
                finally
                {
                    Pop(mark);
                }
            }

            switch (val.Raw)
            {
                case null:
                    break; // a missing value acts like an empty map
                case long or ulong or byte when val.IsValid:
                    if (r.Pipe.Decl.Count > 1)
                        throw Error("can't use " + GoFmt.FormatValue(val.Raw) + " to iterate over more than one variable");
                    long n = val.Raw is long l ? l : (long)GoValues.AsUint(val.Raw);
                    for (long i = 0; i < n && !broke; i++)
                    {
                        ran = true;
                        OneIteration(Val.Invalid, val.Raw is long ? Val.Of(i) : Val.Of((ulong)i));
                    }
                    break;
                case JsonObject map:
                    foreach (var kv in GoValues.SortedEntries(map))
                    {
                        ran = true;
                        OneIteration(Val.Of(kv.Key), Val.Boxed(GoValues.FromJson(kv.Value)));
                        if (broke) break;
                    }
                    break;
                case object list when GoValues.IsList(list):
                    int count = GoValues.ListCount(list);
                    for (int i = 0; i < count && !broke; i++)
                    {
                        ran = true;
                        OneIteration(Val.Of((long)i), GoValues.ListElement(list, i));
                    }
                    break;
                default:
                    throw Error("range can't iterate over " + GoFmt.FormatValue(val.Raw));
            }
            if (!ran && r.ElseList is not null) Walk(dot, r.ElseList);
        }
        finally
        {
            Pop(outerMark);
        }
    }

    private void WalkTemplate(Val dot, TemplateCallNode t)
    {
        At(t);
        if (!_trees.TryGetValue(t.Name, out var tree)) throw Error("template " + GoQuote.Quote(t.Name) + " not defined");
        if (_depth == MaxExecDepth) throw Error("exceeded maximum template depth (" + MaxExecDepth + ")");
        // Variables declared by the pipeline persist in the caller.
        dot = EvalPipeline(dot, t.Pipe);
        var savedVars = _vars.ToArray();
        string savedName = _templateName;
        _vars.Clear();
        _vars.Add(("$", dot));
        _templateName = t.Name;
        _depth++;
        try
        {
            Walk(dot, tree);
        }
        finally
        {
            _depth--;
            _templateName = savedName;
            _vars.Clear();
            _vars.AddRange(savedVars);
        }
    }

    private void PrintValue(Node n, Val v)
    {
        At(n);
        if (!v.IsValid)
        {
            _output.Write("<no value>");
            return;
        }
        if (v.Raw is TemplateFunction f) throw Error("can't print " + n + " of type " + f.GoTypeName);
        _output.Write(GoFmt.FormatValue(v.Raw));
    }

    // ---- evaluation ----

    private Val EvalPipeline(Val dot, PipeNode? pipe)
    {
        if (pipe is null) return Val.Invalid;
        At(pipe);
        EnsureStack();
        Val? value = null;
        foreach (var cmd in pipe.Cmds)
        {
            // The previous command's value is this one's final argument; an interface value is
            // dug out, so a nil read from a map becomes a missing value.
            value = EvalCommand(dot, cmd, value).Unboxed;
        }
        var result = value ?? Val.Invalid;
        foreach (var variable in pipe.Decl)
        {
            if (pipe.IsAssign) SetVar(variable.Ident[0], result);
            else Push(variable.Ident[0], result);
        }
        return result;
    }

    private void NotAFunction(IReadOnlyList<Node>? args, Val? final)
    {
        if ((args?.Count ?? 0) > 1 || final is not null)
            throw Error("can't give argument to non-function " + args![0]);
    }

    private Val EvalCommand(Val dot, CommandNode cmd, Val? final)
    {
        var first = cmd.Args[0];
        switch (first)
        {
            case FieldNode field:
                return EvalFieldNode(dot, field, cmd.Args, final);
            case ChainNode chain:
                return EvalChainNode(dot, chain, cmd.Args, final);
            case IdentifierNode id:
                return EvalFunction(dot, id, cmd, cmd.Args, final);
            case PipeNode pipe:
                NotAFunction(cmd.Args, final);
                return EvalPipeline(dot, pipe);
            case VariableNode variable:
                return EvalVariableNode(dot, variable, cmd.Args, final);
        }
        At(first);
        NotAFunction(cmd.Args, final);
        return first switch
        {
            BoolNode b => Val.Of(b.True),
            DotNode => dot,
            NilNode => throw Error("nil is not a command"),
            NumberNode number => IdealConstant(number),
            StringNode s => Val.Of(s.Text),
            _ => throw Error("can't evaluate command " + GoQuote.Quote(first.ToString())),
        };
    }

    /// <summary>A number in a context of unknown type: the syntax decides int or float64.</summary>
    private Val IdealConstant(NumberNode constant)
    {
        At(constant);
        string text = constant.Text;
        bool isHexInt = text.Length > 2 && text[0] == '0' && text[1] is 'x' or 'X' && text.IndexOfAny(['p', 'P']) < 0;
        bool isRuneInt = text.Length > 0 && text[0] == '\'';
        if (constant.IsFloat && !isHexInt && !isRuneInt && text.IndexOfAny(['.', 'e', 'E', 'p', 'P']) >= 0)
            return Val.Of(constant.Float64);
        if (constant.IsInt) return Val.Of(constant.Int64);
        if (constant.IsUint) throw Error(text + " overflows int");
        return Val.Invalid;
    }

    private Val EvalFieldNode(Val dot, FieldNode field, IReadOnlyList<Node>? args, Val? final)
    {
        At(field);
        return EvalFieldChain(dot, dot, field, field.Ident, args, final);
    }

    private Val EvalChainNode(Val dot, ChainNode chain, IReadOnlyList<Node>? args, Val? final)
    {
        At(chain);
        if (chain.Field.Count == 0) throw Error("internal error: no fields in evalChainNode");
        if (chain.Node is NilNode) throw Error("indirection through explicit nil in " + chain);
        var pipe = EvalArg(dot, null, chain.Node);
        return EvalFieldChain(dot, pipe, chain, chain.Field, args, final);
    }

    private Val EvalVariableNode(Val dot, VariableNode variable, IReadOnlyList<Node>? args, Val? final)
    {
        At(variable);
        var value = VarValue(variable.Ident[0]);
        if (variable.Ident.Length == 1)
        {
            NotAFunction(args, final);
            return value;
        }
        return EvalFieldChain(dot, value, variable, variable.Ident[1..], args, final);
    }

    private Val EvalFieldChain(Val dot, Val receiver, Node node, IReadOnlyList<string> ident,
        IReadOnlyList<Node>? args, Val? final)
    {
        int n = ident.Count;
        for (int i = 0; i < n - 1; i++)
            receiver = EvalField(dot, ident[i], node, null, null, receiver);
        return EvalField(dot, ident[n - 1], node, args, final, receiver);
    }

    private Val EvalFunction(Val dot, IdentifierNode node, Node cmd, IReadOnlyList<Node>? args, Val? final)
    {
        At(node);
        string name = node.Ident;
        // Functions given to the template win over the builtins of the same name, as in Go.
        bool isBuiltin = false;
        if (!_funcs.TryGetValue(name, out var function))
        {
            if (!_builtins.TryGetValue(name, out function)) throw Error(GoQuote.Quote(name) + " is not a defined function");
            isBuiltin = true;
        }
        return EvalCall(dot, function, isBuiltin, cmd, name, args, final);
    }

    private Val EvalField(Val dot, string fieldName, Node node, IReadOnlyList<Node>? args, Val? final, Val receiver)
    {
        if (!receiver.IsValid)
        {
            if (_missingKey == MissingKeyMode.Error) throw Error("nil data; no entry for key " + GoQuote.Quote(fieldName));
            return Val.Invalid;
        }
        string typ = GoValues.TypeName(receiver);
        if (receiver.IsNilInterface) throw Error("nil pointer evaluating " + typ + "." + fieldName);
        object raw = receiver.Raw!;
        if (raw is TemplateObject obj && obj.Methods.TryGetValue(fieldName, out var method))
            return EvalCall(dot, FuncDef.FromPublic(method), false, node, fieldName, args, final);
        bool hasArgs = (args?.Count ?? 0) > 1 || final is not null;
        switch (raw)
        {
            case TemplateObject structValue:
                if (structValue.Fields.TryGetPropertyValue(fieldName, out var fieldNode))
                {
                    if (hasArgs) throw Error(fieldName + " has arguments but cannot be invoked as function");
                    return Val.Of(GoValues.FromJson(fieldNode));
                }
                break;
            case JsonObject map:
                if (hasArgs) throw Error(fieldName + " is not a method but has arguments");
                if (map.TryGetPropertyValue(fieldName, out var element)) return Val.Boxed(GoValues.FromJson(element));
                if (_missingKey == MissingKeyMode.Error) throw Error("map has no entry for key " + GoQuote.Quote(fieldName));
                return Val.Invalid;
        }
        throw Error("can't evaluate field " + fieldName + " in type " + typ);
    }

    private Val EvalCall(Val dot, FuncDef fun, bool isBuiltin, Node node, string name, IReadOnlyList<Node>? args, Val? final)
    {
        var callArgs = args is null ? [] : args.Skip(1).ToArray();
        int numIn = callArgs.Length + (final is null ? 0 : 1);
        int numFixed = callArgs.Length;
        var parameters = fun.Parameters;
        if (fun.IsVariadic)
        {
            numFixed = parameters.Length - 1;
            if (numIn < numFixed)
                throw Error($"wrong number of args for {name}: want at least {parameters.Length - 1} got {callArgs.Length}");
        }
        else if (numIn != parameters.Length)
        {
            throw Error($"wrong number of args for {name}: want {parameters.Length} got {numIn}");
        }

        if (isBuiltin && fun.Special is SpecialForm.And or SpecialForm.Or)
        {
            // and/or stop at the first argument that decides the result, leaving the rest unevaluated.
            bool isOr = fun.Special == SpecialForm.Or;
            var v = Val.Invalid;
            foreach (var arg in callArgs)
            {
                v = EvalArg(dot, ArgType.Value, arg);
                if (Builtins.Truth(v) == isOr) return v;
            }
            if (final is not null) v = ValidateType(final.Value, ArgType.Value);
            return v;
        }

        var argv = new Val[numIn];
        int i = 0;
        for (; i < numFixed && i < callArgs.Length; i++) argv[i] = EvalArg(dot, parameters[i], callArgs[i]);
        if (fun.IsVariadic)
        {
            var argType = parameters[^1];
            for (; i < callArgs.Length; i++) argv[i] = EvalArg(dot, argType, callArgs[i]);
        }
        if (final is not null)
        {
            var t = parameters[^1];
            if (fun.IsVariadic && numIn - 1 < numFixed) t = parameters[numIn - 1];
            argv[i] = ValidateType(final.Value, t);
        }

        try
        {
            if (isBuiltin && fun.Special == SpecialForm.Call)
            {
                string calleeName = callArgs.Length == 0 ? GoFmt.FormatValue(final?.AsAny) : callArgs[0].ToString();
                return CallFunctionValue(calleeName, argv[0], argv.AsSpan(1));
            }
            return fun.Invoke(argv);
        }
        catch (TemplateExecutionException)
        {
            throw;
        }
        catch (Exception e)
        {
            // Go recovers a panicking function the same way as one returning an error.
            At(node);
            throw Error("error calling " + name + ": " + e.Message);
        }
    }

    /// <summary>The <c>call</c> builtin: invokes a function value with Go's argument checks.</summary>
    private static Val CallFunctionValue(string name, Val fn, ReadOnlySpan<Val> args)
    {
        fn = fn.Unboxed;
        if (!fn.IsValid) throw new TemplateFunctionException("call of nil");
        if (fn.Raw is not TemplateFunction function)
            throw new TemplateFunctionException("non-function " + name + " of type " + GoValues.TypeName(fn));
        int numIn = function.Parameters.Count;
        if (function.IsVariadic)
        {
            if (args.Length < numIn - 1)
                throw new TemplateFunctionException($"wrong number of args for {name}: got {args.Length} want at least {numIn - 1}");
        }
        else if (args.Length != numIn)
        {
            throw new TemplateFunctionException($"wrong number of args for {name}: got {args.Length} want {numIn}");
        }
        var argv = new object?[args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            var arg = args[i].Unboxed;
            var type = function.IsVariadic && i >= numIn - 1 ? function.Parameters[^1] : function.Parameters[i];
            argv[i] = PrepareArg(arg, FuncDef.FromPublic(type), i);
        }
        return Val.Of(GoValues.Normalize(function.Body(argv)));
    }

    private static object? PrepareArg(Val value, ArgType type, int index)
    {
        string typeName = FuncDef.TypeName(type);
        if (!value.IsValid)
        {
            if (type is ArgType.Any or ArgType.StringList) return type == ArgType.Any ? null : Array.Empty<string>();
            throw new TemplateFunctionException($"arg {index}: value is nil; should be of type {typeName}");
        }
        object? converted = AssignTo(value.Raw, type);
        if (converted is not null || type == ArgType.Any) return converted ?? value.Raw;
        throw new TemplateFunctionException($"arg {index}: value has type {GoValues.TypeName(value)}; should be {typeName}");
    }

    /// <summary>The value as the given Go type, or null if it is not assignable.</summary>
    private static object? AssignTo(object? raw, ArgType type) => type switch
    {
        ArgType.Any or ArgType.Value => raw,
        ArgType.String => raw as string,
        ArgType.Int => raw switch { long l => l, ulong u => unchecked((long)u), byte b => (long)b, _ => null },
        ArgType.Bool => raw as bool?,
        ArgType.Float => raw as double?,
        ArgType.StringList => GoValues.AsStringList(raw),
        _ => null,
    };

    private static bool CanBeNil(ArgType type) => type is ArgType.Value or ArgType.Any or ArgType.StringList;

    private Val ValidateType(Val value, ArgType? type)
    {
        if (!value.IsValid)
        {
            if (type is null || type == ArgType.Value) return Val.Invalid;
            if (type == ArgType.Any) return Val.NilInterface;
            if (type == ArgType.StringList) return Val.Of(Array.Empty<string>());
            throw Error("invalid value; expected " + FuncDef.TypeName(type.Value));
        }
        if (type is null or ArgType.Value or ArgType.Any) return value;
        // An interface holding the right type is accepted; the error names the dynamic type.
        var concrete = value.IsNilInterface ? value : value.Unboxed;
        object? converted = concrete.IsNilInterface ? null : type switch
        {
            ArgType.Int => concrete.Raw as long?,
            _ => AssignTo(concrete.Raw, type.Value),
        };
        if (converted is not null) return Val.Of(converted);
        throw Error("wrong type for value; expected " + FuncDef.TypeName(type.Value) + "; got " + GoValues.TypeName(concrete));
    }

    private Val EvalArg(Val dot, ArgType? type, Node n)
    {
        At(n);
        switch (n)
        {
            case DotNode:
                return ValidateType(dot, type);
            case NilNode:
                if (type is null || CanBeNil(type.Value))
                    return type == ArgType.Any ? Val.NilInterface : type == ArgType.StringList ? Val.Of(Array.Empty<string>()) : Val.Invalid;
                throw Error("cannot assign nil to " + FuncDef.TypeName(type.Value));
            case FieldNode field:
                return ValidateType(EvalFieldNode(dot, field, [n], null), type);
            case VariableNode variable:
                return ValidateType(EvalVariableNode(dot, variable, null, null), type);
            case PipeNode pipe:
                return ValidateType(EvalPipeline(dot, pipe), type);
            case IdentifierNode id:
                return ValidateType(EvalFunction(dot, id, id, null, null), type);
            case ChainNode chain:
                return ValidateType(EvalChainNode(dot, chain, null, null), type);
        }
        switch (type)
        {
            case ArgType.Bool:
                if (n is BoolNode b) return Val.Of(b.True);
                throw Error("expected bool; found " + n);
            case ArgType.Float:
                if (n is NumberNode { IsFloat: true } f) return Val.Of(f.Float64);
                throw Error("expected float; found " + n);
            case ArgType.Int:
                if (n is NumberNode { IsInt: true } i) return Val.Of(i.Int64);
                throw Error("expected integer; found " + n);
            case ArgType.String:
                if (n is StringNode s) return Val.Of(s.Text);
                throw Error("expected string; found " + n);
            case ArgType.Any:
            case ArgType.Value:
            case null:
                return EvalEmptyInterface(dot, n);
            default:
                throw Error("can't handle " + n + " for arg of type " + FuncDef.TypeName(type.Value));
        }
    }

    private Val EvalEmptyInterface(Val dot, Node n)
    {
        At(n);
        return n switch
        {
            BoolNode b => Val.Of(b.True),
            DotNode => dot,
            NumberNode number => IdealConstant(number),
            StringNode s => Val.Of(s.Text),
            _ => throw Error("can't handle assignment of " + n + " to empty interface argument"),
        };
    }
}
