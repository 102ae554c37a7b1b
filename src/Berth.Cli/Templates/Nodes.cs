using System.Text;

namespace Berth.Cli.Templates;

/// <summary>
/// The parse tree, shaped as Go's text/template/parse nodes. <see cref="ToString"/> renders a
/// node as Go does, because execution errors quote it: <c>executing "" at &lt;.Foo.Bar&gt;</c>.
/// </summary>
internal abstract class Node
{
    protected Node(int pos) => Pos = pos;

    /// <summary>Char offset of the node in the template text.</summary>
    public int Pos { get; }

    public abstract void WriteTo(StringBuilder sb);

    public override string ToString()
    {
        var sb = new StringBuilder();
        WriteTo(sb);
        return sb.ToString();
    }
}

internal sealed class ListNode(int pos) : Node(pos)
{
    public List<Node> Nodes { get; } = [];

    public override void WriteTo(StringBuilder sb)
    {
        foreach (var n in Nodes) n.WriteTo(sb);
    }
}

internal sealed class TextNode(int pos, string text) : Node(pos)
{
    public string Text { get; } = text;

    public override void WriteTo(StringBuilder sb) => sb.Append(Text);
}

internal sealed class PipeNode(int pos) : Node(pos)
{
    public bool IsAssign { get; set; }

    public List<VariableNode> Decl { get; } = [];

    public List<CommandNode> Cmds { get; } = [];

    public override void WriteTo(StringBuilder sb)
    {
        if (Decl.Count > 0)
        {
            for (int i = 0; i < Decl.Count; i++)
            {
                if (i > 0) sb.Append(", ");
                Decl[i].WriteTo(sb);
            }
            sb.Append(IsAssign ? " = " : " := ");
        }
        for (int i = 0; i < Cmds.Count; i++)
        {
            if (i > 0) sb.Append(" | ");
            Cmds[i].WriteTo(sb);
        }
    }
}

internal sealed class ActionNode(int pos, PipeNode pipe) : Node(pos)
{
    public PipeNode Pipe { get; } = pipe;

    public override void WriteTo(StringBuilder sb)
    {
        sb.Append("{{");
        Pipe.WriteTo(sb);
        sb.Append("}}");
    }
}

internal sealed class CommandNode(int pos) : Node(pos)
{
    public List<Node> Args { get; } = [];

    public override void WriteTo(StringBuilder sb)
    {
        for (int i = 0; i < Args.Count; i++)
        {
            if (i > 0) sb.Append(' ');
            if (Args[i] is PipeNode p)
            {
                sb.Append('(');
                p.WriteTo(sb);
                sb.Append(')');
                continue;
            }
            Args[i].WriteTo(sb);
        }
    }
}

internal sealed class IdentifierNode(int pos, string ident) : Node(pos)
{
    public string Ident { get; } = ident;

    public override void WriteTo(StringBuilder sb) => sb.Append(Ident);
}

/// <summary>A variable with optional field chain: <c>$x.A.B</c> is Ident ["$x", "A", "B"].</summary>
internal sealed class VariableNode(int pos, string ident) : Node(pos)
{
    public string[] Ident { get; } = ident.Split('.');

    public override void WriteTo(StringBuilder sb) => sb.AppendJoin('.', Ident);
}

internal sealed class DotNode(int pos) : Node(pos)
{
    public override void WriteTo(StringBuilder sb) => sb.Append('.');
}

internal sealed class NilNode(int pos) : Node(pos)
{
    public override void WriteTo(StringBuilder sb) => sb.Append("nil");
}

/// <summary>A field chain on dot: <c>.A.B</c> is Ident ["A", "B"].</summary>
internal sealed class FieldNode(int pos, string ident) : Node(pos)
{
    public string[] Ident { get; } = ident[1..].Split('.');

    public override void WriteTo(StringBuilder sb)
    {
        foreach (var id in Ident) sb.Append('.').Append(id);
    }
}

/// <summary>A term followed by fields: <c>(index . 0).Name</c>.</summary>
internal sealed class ChainNode(int pos, Node node) : Node(pos)
{
    public Node Node { get; } = node;

    public List<string> Field { get; } = [];

    public override void WriteTo(StringBuilder sb)
    {
        if (Node is PipeNode)
        {
            sb.Append('(');
            Node.WriteTo(sb);
            sb.Append(')');
        }
        else
        {
            Node.WriteTo(sb);
        }
        foreach (var f in Field) sb.Append('.').Append(f);
    }
}

internal sealed class BoolNode(int pos, bool value) : Node(pos)
{
    public bool True { get; } = value;

    public override void WriteTo(StringBuilder sb) => sb.Append(True ? "true" : "false");
}

/// <summary>A number constant, held under every Go type that can represent it (ideal constant).</summary>
internal sealed class NumberNode(int pos, string text) : Node(pos)
{
    public string Text { get; } = text;
    public bool IsInt { get; set; }
    public bool IsUint { get; set; }
    public bool IsFloat { get; set; }
    public long Int64 { get; set; }
    public ulong Uint64 { get; set; }
    public double Float64 { get; set; }

    public override void WriteTo(StringBuilder sb) => sb.Append(Text);
}

internal sealed class StringNode(int pos, string quoted, string text) : Node(pos)
{
    public string Quoted { get; } = quoted;

    public string Text { get; } = text;

    public override void WriteTo(StringBuilder sb) => sb.Append(Quoted);
}

/// <summary>{{end}}: only seen by the parser.</summary>
internal sealed class EndNode(int pos) : Node(pos)
{
    public override void WriteTo(StringBuilder sb) => sb.Append("{{end}}");
}

/// <summary>{{else}}: only seen by the parser.</summary>
internal sealed class ElseNode(int pos) : Node(pos)
{
    public override void WriteTo(StringBuilder sb) => sb.Append("{{else}}");
}

internal enum BranchKind
{
    If,
    Range,
    With,
}

/// <summary>{{if}}, {{range}} and {{with}}.</summary>
internal sealed class BranchNode(int pos, BranchKind kind, PipeNode pipe, ListNode list, ListNode? elseList) : Node(pos)
{
    public BranchKind Kind { get; } = kind;
    public PipeNode Pipe { get; } = pipe;
    public ListNode List { get; } = list;
    public ListNode? ElseList { get; } = elseList;

    public override void WriteTo(StringBuilder sb)
    {
        sb.Append("{{").Append(Kind switch { BranchKind.If => "if", BranchKind.Range => "range", _ => "with" }).Append(' ');
        Pipe.WriteTo(sb);
        sb.Append("}}");
        List.WriteTo(sb);
        if (ElseList is not null)
        {
            sb.Append("{{else}}");
            ElseList.WriteTo(sb);
        }
        sb.Append("{{end}}");
    }
}

internal sealed class BreakNode(int pos) : Node(pos)
{
    public override void WriteTo(StringBuilder sb) => sb.Append("{{break}}");
}

internal sealed class ContinueNode(int pos) : Node(pos)
{
    public override void WriteTo(StringBuilder sb) => sb.Append("{{continue}}");
}

/// <summary>{{template "name" pipeline}}.</summary>
internal sealed class TemplateCallNode(int pos, string name, PipeNode? pipe) : Node(pos)
{
    public string Name { get; } = name;

    public PipeNode? Pipe { get; } = pipe;

    public override void WriteTo(StringBuilder sb)
    {
        sb.Append("{{template ").Append(GoQuote.Quote(Name));
        if (Pipe is not null)
        {
            sb.Append(' ');
            Pipe.WriteTo(sb);
        }
        sb.Append("}}");
    }
}
