using System.Text;

namespace Berth.Cli.Templates;

/// <summary>Formatting flags of Go's text/tabwriter.</summary>
[Flags]
public enum TabWriterFlags
{
    None = 0,
    /// <summary>Right-align cell content.</summary>
    AlignRight = 4,
    /// <summary>Drop columns whose cells are all empty and soft-tab (\v) terminated.</summary>
    DiscardEmptyColumns = 8,
    /// <summary>Pad leading empty cells with tabs.</summary>
    TabIndent = 16,
    /// <summary>Print '|' between columns.</summary>
    Debug = 32,
}

/// <summary>
/// Go's text/tabwriter (elastic tabstops) as docker's fork of it behaves: cells are text
/// terminated by '\t'; tab-terminated cells in consecutive lines form a column, padded to the
/// column's widest cell plus <c>padding</c> (at least <c>minWidth</c>); the last cell of a line
/// is not part of a column and is not padded. Widths are terminal columns (wide CJK counts 2).
/// </summary>
/// <remarks>Buffers until a line ends a block (a line of one cell) or <see cref="Flush"/>.</remarks>
public sealed class TabWriter
{
    private struct Cell
    {
        public int Size;   // chars in the buffer
        public int Width;  // terminal columns
        public bool HTab;  // terminated by '\t' (not '\v')
    }

    private readonly TextWriter _output;
    private readonly int _minWidth;
    private readonly int _tabWidth;
    private readonly int _padding;
    private readonly char _padChar;
    private readonly TabWriterFlags _flags;

    private readonly StringBuilder _buf = new();
    private int _pos;
    private Cell _cell;
    private readonly List<List<Cell>> _lines = [];
    private readonly List<int> _widths = [];

    public TabWriter(TextWriter output, int minWidth, int tabWidth, int padding, char padChar, TabWriterFlags flags = TabWriterFlags.None)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minWidth);
        ArgumentOutOfRangeException.ThrowIfNegative(tabWidth);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        _output = output;
        _minWidth = minWidth;
        _tabWidth = tabWidth;
        _padding = padding;
        _padChar = padChar;
        _flags = padChar == '\t' ? flags & ~TabWriterFlags.AlignRight : flags;
        Reset();
    }

    /// <summary>The writer docker's table formatter uses: <c>tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)</c>.</summary>
    public static TabWriter ForDockerTable(TextWriter output) => new(output, 10, 1, 3, ' ');

    private void Reset()
    {
        _buf.Clear();
        _pos = 0;
        _cell = default;
        _lines.Clear();
        _widths.Clear();
        AddLine();
    }

    private void AddLine() => _lines.Add([]);

    public void Write(string text)
    {
        int n = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (ch is not ('\t' or '\v' or '\n' or '\f')) continue;
            Append(text, n, i - n);
            UpdateWidth();
            n = i + 1;
            int ncells = TerminateCell(ch == '\t');
            if (ch is '\n' or '\f')
            {
                AddLine();
                if (ch == '\f' || ncells == 1)
                {
                    // A line of one cell cannot affect the columns of later lines: flush now.
                    FlushInternal();
                    if (ch == '\f' && (_flags & TabWriterFlags.Debug) != 0) _output.Write("---\n");
                }
            }
        }
        Append(text, n, text.Length - n);
    }

    public void Flush() => FlushInternal();

    private void FlushInternal()
    {
        if (_cell.Size > 0) TerminateCell(false);
        Format(0, 0, _lines.Count);
        Reset();
    }

    private void Append(string text, int start, int length)
    {
        _buf.Append(text, start, length);
        _cell.Size += length;
    }

    private void UpdateWidth()
    {
        _cell.Width += DisplayWidth.Of(_buf.ToString(_pos, _buf.Length - _pos));
        _pos = _buf.Length;
    }

    private int TerminateCell(bool htab)
    {
        _cell.HTab = htab;
        var line = _lines[^1];
        line.Add(_cell);
        _cell = default;
        return line.Count;
    }

    private void WritePadding(int textWidth, int cellWidth, bool useTabs)
    {
        if (_padChar == '\t' || useTabs)
        {
            if (_tabWidth == 0) return; // tabs have no width: no padding possible
            cellWidth = (cellWidth + _tabWidth - 1) / _tabWidth * _tabWidth;
            int n = cellWidth - textWidth;
            _output.Write(new string('\t', (n + _tabWidth - 1) / _tabWidth));
            return;
        }
        if (cellWidth > textWidth) _output.Write(new string(_padChar, cellWidth - textWidth));
    }

    private int WriteLines(int pos0, int line0, int line1)
    {
        int pos = pos0;
        for (int i = line0; i < line1; i++)
        {
            var line = _lines[i];
            bool useTabs = (_flags & TabWriterFlags.TabIndent) != 0;
            for (int j = 0; j < line.Count; j++)
            {
                var c = line[j];
                if (j > 0 && (_flags & TabWriterFlags.Debug) != 0) _output.Write('|');
                if (c.Size == 0)
                {
                    if (j < _widths.Count) WritePadding(c.Width, _widths[j], useTabs);
                }
                else
                {
                    useTabs = false;
                    if ((_flags & TabWriterFlags.AlignRight) == 0)
                    {
                        _output.Write(_buf.ToString(pos, c.Size));
                        pos += c.Size;
                        if (j < _widths.Count) WritePadding(c.Width, _widths[j], false);
                    }
                    else
                    {
                        if (j < _widths.Count) WritePadding(c.Width, _widths[j], false);
                        _output.Write(_buf.ToString(pos, c.Size));
                        pos += c.Size;
                    }
                }
            }
            if (i + 1 == _lines.Count)
            {
                // The last buffered line has no newline yet: write what is pending of it.
                _output.Write(_buf.ToString(pos, _cell.Size));
                pos += _cell.Size;
            }
            else
            {
                _output.Write('\n');
            }
        }
        return pos;
    }

    /// <summary>Formats lines [line0, line1) whose text starts at buffer position pos0.</summary>
    private int Format(int pos0, int line0, int line1)
    {
        int pos = pos0;
        int column = _widths.Count;
        for (int current = line0; current < line1; current++)
        {
            var line = _lines[current];
            // The last cell of a line is not tab-terminated and belongs to no column.
            if (column >= line.Count - 1) continue;

            // This line opens a column block: print the lines before it.
            pos = WriteLines(pos, line0, current);
            line0 = current;

            int width = _minWidth;
            bool discardable = true;
            for (; current < line1; current++)
            {
                line = _lines[current];
                if (column >= line.Count - 1) break;
                var c = line[column];
                int w = c.Width + _padding;
                if (w > width) width = w;
                if (c.Width > 0 || c.HTab) discardable = false;
            }
            if (discardable && (_flags & TabWriterFlags.DiscardEmptyColumns) != 0) width = 0;

            // Format the columns to the right now that this column's width is known.
            _widths.Add(width);
            pos = Format(pos, line0, current);
            _widths.RemoveAt(_widths.Count - 1);
            line0 = current;
        }
        return WriteLines(pos, line0, line1);
    }
}
