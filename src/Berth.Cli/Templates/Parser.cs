using System.Runtime.CompilerServices;

namespace Berth.Cli.Templates;

/// <summary>
/// Go's text/template parser (parse/parse.go): a recursive-descent parser over the lexer with
/// three tokens of look-ahead, producing the trees of the main template and of every
/// <c>{{define}}</c> and <c>{{block}}</c>. Errors carry Go's wording and line numbers.
/// </summary>
internal sealed class Parser
{
    private const int MaxStackDepth = 10000;

    private readonly string _text;
    private readonly Lexer _lex;
    private readonly Func<string, bool> _hasFunction;
    private readonly Token[] _token = new Token[3];
    private int _peekCount;
    private List<string> _vars = ["$"];
    private int _actionLine;
    private int _rangeDepth;
    private int _stackDepth;

    /// <summary>Named trees: "" is the main template.</summary>
    public Dictionary<string, ListNode> Trees { get; } = new(StringComparer.Ordinal);

    private Parser(string text, Func<string, bool> hasFunction)
    {
        _text = text;
        _hasFunction = hasFunction;
        _lex = new Lexer(text, breakOk: !hasFunction("break"), continueOk: !hasFunction("continue"));
    }

    public static Dictionary<string, ListNode> Parse(string text, Func<string, bool> hasFunction)
    {
        var p = new Parser(text, hasFunction);
        p.ParseTop();
        return p.Trees;
    }

    // ---- token stream ----

    private Token Next()
    {
        if (_peekCount > 0) _peekCount--;
        else _token[0] = _lex.NextItem();
        return _token[_peekCount];
    }

    private void Backup() => _peekCount++;

    private void Backup2(Token t1)
    {
        _token[1] = t1;
        _peekCount = 2;
    }

    private void Backup3(Token t2, Token t1)
    {
        _token[1] = t1;
        _token[2] = t2;
        _peekCount = 3;
    }

    private Token Peek()
    {
        if (_peekCount > 0) return _token[_peekCount - 1];
        _peekCount = 1;
        _token[0] = _lex.NextItem();
        return _token[0];
    }

    private Token NextNonSpace()
    {
        Token token;
        do token = Next();
        while (token.Kind == TokenKind.Space);
        return token;
    }

    private Token PeekNonSpace()
    {
        var token = NextNonSpace();
        Backup();
        return token;
    }

    // ---- errors ----

    private TemplateParseException Error(string message) =>
        new("template: :" + _token[0].Line + ": " + message);

    private Token Expect(TokenKind expected, string context)
    {
        var token = NextNonSpace();
        if (token.Kind != expected) throw Unexpected(token, context);
        return token;
    }

    private Token ExpectOneOf(TokenKind expected1, TokenKind expected2, string context)
    {
        var token = NextNonSpace();
        if (token.Kind != expected1 && token.Kind != expected2) throw Unexpected(token, context);
        return token;
    }

    private TemplateParseException Unexpected(Token token, string context)
    {
        if (token.Kind == TokenKind.Error)
        {
            string extra = "";
            if (_actionLine != 0 && _actionLine != token.Line)
            {
                extra = " in action started at :" + _actionLine;
                if (token.Val.EndsWith(" action", StringComparison.Ordinal))
                    extra = extra[" in action".Length..];
            }
            return Error(token + extra);
        }
        return Error("unexpected " + token + " in " + context);
    }

    // ---- grammar ----

    private void ParseTop()
    {
        var root = new ListNode(Peek().Pos);
        while (Peek().Kind != TokenKind.Eof)
        {
            if (Peek().Kind == TokenKind.LeftDelim)
            {
                var delim = Next();
                if (NextNonSpace().Kind == TokenKind.Define)
                {
                    ParseDefinition();
                    continue;
                }
                Backup2(delim);
            }
            var n = TextOrAction();
            if (n is EndNode or ElseNode) throw Error("unexpected " + n);
            if (n is not null) root.Nodes.Add(n);
        }
        Add("", root);
    }

    private void Add(string name, ListNode root)
    {
        if (!Trees.TryGetValue(name, out var existing) || IsEmptyTree(existing))
        {
            Trees[name] = root;
            return;
        }
        if (!IsEmptyTree(root))
            throw Error("template: multiple definition of template " + GoQuote.Quote(name));
    }

    private static bool IsEmptyTree(Node? n) => n switch
    {
        null => true,
        ListNode l => l.Nodes.All(IsEmptyTree),
        TextNode t => string.IsNullOrWhiteSpace(t.Text),
        _ => false,
    };

    /// <summary>A definition parses as its own tree: fresh variables, no enclosing range.</summary>
    private T InNewTree<T>(Func<T> parse)
    {
        var vars = _vars;
        int rangeDepth = _rangeDepth;
        _vars = ["$"];
        _rangeDepth = 0;
        try
        {
            return parse();
        }
        finally
        {
            _vars = vars;
            _rangeDepth = rangeDepth;
        }
    }

    private void ParseDefinition()
    {
        const string context = "define clause";
        var nameToken = ExpectOneOf(TokenKind.String, TokenKind.RawString, context);
        string name = UnquoteOrFail(nameToken.Val);
        Expect(TokenKind.RightDelim, context);
        InNewTree(() =>
        {
            var (root, end) = ItemList();
            if (end is not EndNode) throw Error("unexpected " + end + " in " + context);
            Add(name, root);
            return true;
        });
    }

    private string UnquoteOrFail(string quoted)
    {
        try
        {
            return GoLiterals.Unquote(quoted);
        }
        catch (GoLiterals.SyntaxError e)
        {
            throw Error(e.Message);
        }
    }

    private (ListNode list, Node next) ItemList()
    {
        var list = new ListNode(PeekNonSpace().Pos);
        while (PeekNonSpace().Kind != TokenKind.Eof)
        {
            var n = TextOrAction();
            if (n is EndNode or ElseNode) return (list, n);
            if (n is not null) list.Nodes.Add(n);
        }
        throw Error("unexpected EOF");
    }

    private Node? TextOrAction()
    {
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case TokenKind.Text:
                return new TextNode(token.Pos, token.Val);
            case TokenKind.LeftDelim:
                _actionLine = token.Line;
                try
                {
                    return Action();
                }
                finally
                {
                    _actionLine = 0;
                }
            case TokenKind.Comment:
                return null;
            default:
                throw Unexpected(token, "input");
        }
    }

    private Node Action()
    {
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case TokenKind.Block: return BlockControl();
            case TokenKind.Break: return BreakControl(token.Pos);
            case TokenKind.Continue: return ContinueControl(token.Pos);
            case TokenKind.Else: return ElseControl();
            case TokenKind.End: return new EndNode(Expect(TokenKind.RightDelim, "end").Pos);
            case TokenKind.If: return ParseControl(BranchKind.If);
            case TokenKind.Range: return ParseControl(BranchKind.Range);
            case TokenKind.Template: return TemplateControl();
            case TokenKind.With: return ParseControl(BranchKind.With);
        }
        Backup();
        token = Peek();
        return new ActionNode(token.Pos, Pipeline("command", TokenKind.RightDelim));
    }

    private Node BreakControl(int pos)
    {
        var token = NextNonSpace();
        if (token.Kind != TokenKind.RightDelim) throw Unexpected(token, "{{break}}");
        if (_rangeDepth == 0) throw Error("{{break}} outside {{range}}");
        return new BreakNode(pos);
    }

    private Node ContinueControl(int pos)
    {
        var token = NextNonSpace();
        if (token.Kind != TokenKind.RightDelim) throw Unexpected(token, "{{continue}}");
        if (_rangeDepth == 0) throw Error("{{continue}} outside {{range}}");
        return new ContinueNode(pos);
    }

    private PipeNode Pipeline(string context, TokenKind end)
    {
        var pipe = new PipeNode(PeekNonSpace().Pos);
        while (true) // declarations; loops only for range's second variable
        {
            var v = PeekNonSpace();
            if (v.Kind != TokenKind.Variable) break;
            Next();
            // Space is a token, so "$x foo" needs three tokens of look-ahead to tell a
            // declaration from an argument.
            var tokenAfterVariable = Peek();
            var next = PeekNonSpace();
            if (next.Kind is TokenKind.Assign or TokenKind.Declare)
            {
                pipe.IsAssign = next.Kind == TokenKind.Assign;
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(v.Pos, v.Val));
                _vars.Add(v.Val);
                break;
            }
            if (next.Kind == TokenKind.Char && next.Val == ",")
            {
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(v.Pos, v.Val));
                _vars.Add(v.Val);
                if (context == "range" && pipe.Decl.Count < 2)
                {
                    var k = PeekNonSpace().Kind;
                    if (k is TokenKind.Variable or TokenKind.RightDelim or TokenKind.RightParen) continue;
                    throw Error("range can only initialize variables");
                }
                throw Error("too many declarations in " + context);
            }
            if (tokenAfterVariable.Kind == TokenKind.Space) Backup3(v, tokenAfterVariable);
            else Backup2(v);
            break;
        }
        while (true)
        {
            var token = NextNonSpace();
            if (token.Kind == end)
            {
                CheckPipeline(pipe, context);
                return pipe;
            }
            switch (token.Kind)
            {
                case TokenKind.Bool:
                case TokenKind.CharConstant:
                case TokenKind.Complex:
                case TokenKind.Dot:
                case TokenKind.Field:
                case TokenKind.Identifier:
                case TokenKind.Number:
                case TokenKind.Nil:
                case TokenKind.RawString:
                case TokenKind.String:
                case TokenKind.Variable:
                case TokenKind.LeftParen:
                    Backup();
                    pipe.Cmds.Add(Command());
                    break;
                default:
                    throw Unexpected(token, context);
            }
        }
    }

    private void CheckPipeline(PipeNode pipe, string context)
    {
        if (pipe.Cmds.Count == 0) throw Error("missing value for " + context);
        for (int i = 1; i < pipe.Cmds.Count; i++)
        {
            if (pipe.Cmds[i].Args[0] is BoolNode or DotNode or NilNode or NumberNode or StringNode)
                throw Error("non executable command in pipeline stage " + (i + 1));
        }
    }

    private BranchNode ParseControl(BranchKind kind)
    {
        string context = kind switch { BranchKind.If => "if", BranchKind.Range => "range", _ => "with" };
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw Error("max expression depth exceeded");
        int varsLength = _vars.Count;
        try
        {
            var pipe = Pipeline(context, TokenKind.RightDelim);
            if (kind == BranchKind.Range) _rangeDepth++;
            var (list, next) = ItemList();
            if (kind == BranchKind.Range) _rangeDepth--;
            ListNode? elseList = null;
            if (next is ElseNode)
            {
                // "{{else if}}" and "{{else with}}" nest a new if/with in the else branch; its
                // {{end}} closes the whole chain.
                if (kind == BranchKind.If && Peek().Kind == TokenKind.If)
                {
                    Next();
                    elseList = new ListNode(next.Pos);
                    elseList.Nodes.Add(ParseControl(BranchKind.If));
                }
                else if (kind == BranchKind.With && Peek().Kind == TokenKind.With)
                {
                    Next();
                    elseList = new ListNode(next.Pos);
                    elseList.Nodes.Add(ParseControl(BranchKind.With));
                }
                else
                {
                    (elseList, next) = ItemList();
                    if (next is not EndNode) throw Error("expected end; found " + next);
                }
            }
            return new BranchNode(pipe.Pos, kind, pipe, list, elseList);
        }
        finally
        {
            _vars.RemoveRange(varsLength, _vars.Count - varsLength);
        }
    }

    private Node ElseControl()
    {
        var peek = PeekNonSpace();
        if (peek.Kind is TokenKind.If or TokenKind.With) return new ElseNode(peek.Pos);
        var token = Expect(TokenKind.RightDelim, "else");
        return new ElseNode(token.Pos);
    }

    private Node BlockControl()
    {
        const string context = "block clause";
        var token = NextNonSpace();
        string name = ParseTemplateName(token, context);
        var pipe = Pipeline(context, TokenKind.RightDelim);
        InNewTree(() =>
        {
            var (root, end) = ItemList();
            if (end is not EndNode) throw Error("unexpected " + end + " in " + context);
            Add(name, root);
            return true;
        });
        return new TemplateCallNode(token.Pos, name, pipe);
    }

    private Node TemplateControl()
    {
        const string context = "template clause";
        var token = NextNonSpace();
        string name = ParseTemplateName(token, context);
        PipeNode? pipe = null;
        if (NextNonSpace().Kind != TokenKind.RightDelim)
        {
            Backup();
            pipe = Pipeline(context, TokenKind.RightDelim);
        }
        return new TemplateCallNode(token.Pos, name, pipe);
    }

    private string ParseTemplateName(Token token, string context)
    {
        if (token.Kind is TokenKind.String or TokenKind.RawString) return UnquoteOrFail(token.Val);
        throw Unexpected(token, context);
    }

    private CommandNode Command()
    {
        var cmd = new CommandNode(PeekNonSpace().Pos);
        while (true)
        {
            PeekNonSpace(); // skip leading spaces
            var operand = Operand();
            if (operand is not null) cmd.Args.Add(operand);
            var token = Next();
            if (token.Kind == TokenKind.Space) continue;
            if (token.Kind is TokenKind.RightDelim or TokenKind.RightParen) Backup();
            else if (token.Kind != TokenKind.Pipe) throw Unexpected(token, "operand");
            break;
        }
        if (cmd.Args.Count == 0) throw Error("empty command");
        return cmd;
    }

    private Node? Operand()
    {
        var node = Term();
        if (node is null) return null;
        if (Peek().Kind == TokenKind.Field)
        {
            var chain = new ChainNode(Peek().Pos, node);
            while (Peek().Kind == TokenKind.Field) chain.Field.Add(Next().Val[1..]);
            switch (node)
            {
                case FieldNode:
                    node = new FieldNode(chain.Pos, chain.ToString());
                    break;
                case VariableNode:
                    node = new VariableNode(chain.Pos, chain.ToString());
                    break;
                case BoolNode or StringNode or NumberNode or NilNode or DotNode:
                    throw Error("unexpected . after term " + GoQuote.Quote(node.ToString()));
                default:
                    node = chain;
                    break;
            }
        }
        return node;
    }

    private Node? Term()
    {
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case TokenKind.Identifier:
                if (!_hasFunction(token.Val)) throw Error("function " + GoQuote.Quote(token.Val) + " not defined");
                return new IdentifierNode(token.Pos, token.Val);
            case TokenKind.Dot:
                return new DotNode(token.Pos);
            case TokenKind.Nil:
                return new NilNode(token.Pos);
            case TokenKind.Variable:
                return UseVar(token.Pos, token.Val);
            case TokenKind.Field:
                return new FieldNode(token.Pos, token.Val);
            case TokenKind.Bool:
                return new BoolNode(token.Pos, token.Val == "true");
            case TokenKind.CharConstant:
            case TokenKind.Complex:
            case TokenKind.Number:
                return NewNumber(token);
            case TokenKind.LeftParen:
                // Go's limit, and before it the thread's stack: a format must fail, not crash the CLI.
                if (_stackDepth >= MaxStackDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
                    throw Error("max expression depth exceeded");
                _stackDepth++;
                try
                {
                    return Pipeline("parenthesized pipeline", TokenKind.RightParen);
                }
                finally
                {
                    _stackDepth--;
                }
            case TokenKind.String:
            case TokenKind.RawString:
                return new StringNode(token.Pos, token.Val, UnquoteOrFail(token.Val));
        }
        Backup();
        return null;
    }

    private VariableNode UseVar(int pos, string name)
    {
        var v = new VariableNode(pos, name);
        if (_vars.Contains(v.Ident[0])) return v;
        throw Error("undefined variable " + GoQuote.Quote(v.Ident[0]));
    }

    private NumberNode NewNumber(Token token)
    {
        string text = token.Val;
        var n = new NumberNode(token.Pos, text);
        if (token.Kind == TokenKind.CharConstant)
        {
            int rune;
            try
            {
                rune = GoLiterals.UnquoteCharConstant(text);
            }
            catch (GoLiterals.SyntaxError e)
            {
                throw Error(e.Message);
            }
            n.Int64 = rune;
            n.IsInt = true;
            n.Uint64 = (ulong)rune;
            n.IsUint = true;
            n.Float64 = rune;
            n.IsFloat = true;
            return n;
        }
        if (token.Kind == TokenKind.Complex || text.EndsWith('i'))
            throw Error("complex constants are not supported: " + GoQuote.Quote(text));

        if (GoLiterals.TryParseUint(text, out ulong u))
        {
            n.IsUint = true;
            n.Uint64 = u;
        }
        if (GoLiterals.TryParseInt(text, out long i))
        {
            n.IsInt = true;
            n.Int64 = i;
            if (i == 0)
            {
                n.IsUint = true; // in case of -0
                n.Uint64 = u;
            }
        }
        if (n.IsInt)
        {
            n.IsFloat = true;
            n.Float64 = n.Int64;
        }
        else if (n.IsUint)
        {
            n.IsFloat = true;
            n.Float64 = n.Uint64;
        }
        else if (GoLiterals.TryParseFloat(text, out double f))
        {
            // A float that looks like an integer is an integer too large for int64.
            if (text.IndexOfAny(['.', 'e', 'E', 'p', 'P']) < 0)
                throw Error("integer overflow: " + GoQuote.Quote(text));
            n.IsFloat = true;
            n.Float64 = f;
            if (!n.IsInt && f >= long.MinValue && f < 9.2233720368547758e18 && (double)(long)f == f)
            {
                n.IsInt = true;
                n.Int64 = (long)f;
            }
            if (!n.IsUint && f >= 0 && f < 1.8446744073709552e19 && (double)(ulong)f == f)
            {
                n.IsUint = true;
                n.Uint64 = (ulong)f;
            }
        }
        if (!n.IsInt && !n.IsUint && !n.IsFloat)
            throw Error("illegal number syntax: " + GoQuote.Quote(text));
        return n;
    }
}
