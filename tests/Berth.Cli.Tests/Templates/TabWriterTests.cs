using Berth.Cli.Templates;

namespace Berth.Cli.Tests.Templates;

/// <summary>Go's text/tabwriter with docker's settings (minwidth 10, tabwidth 1, padding 3, spaces).</summary>
public class TabWriterTests
{
    private static string Docker(params string[] writes)
    {
        var output = new StringWriter();
        var tabs = TabWriter.ForDockerTable(output);
        foreach (string w in writes) tabs.Write(w);
        tabs.Flush();
        return output.ToString();
    }

    private static string Spaces(int n) => new(' ', n);

    [Fact]
    public void Columns_take_the_widest_cell_plus_padding_and_at_least_minwidth()
    {
        Assert.Equal(
            "CONTAINER ID   IMAGE     NAMES\n" +
            "4fa6e0f0c678   nginx     web\n" +
            "0123456789ab   busybox   job-with-a-long-name\n",
            Docker("CONTAINER ID\tIMAGE\tNAMES\n4fa6e0f0c678\tnginx\tweb\n0123456789ab\tbusybox\tjob-with-a-long-name\n"));
    }

    [Fact]
    public void The_last_cell_of_a_line_is_not_padded_and_empty_cells_are()
    {
        Assert.Equal("a" + Spaces(19) + "b\n" + Spaces(20) + "c\n", Docker("a\t\tb\n\t\tc\n"));
        Assert.Equal("a" + Spaces(9) + "\n", Docker("a\t\n"));
    }

    [Fact]
    public void Input_may_arrive_in_pieces()
    {
        Assert.Equal(Docker("ab\tcd\nefgh\tij\n"), Docker("a", "b\tc", "d\nef", "gh\t", "ij\n"));
    }

    [Fact]
    public void A_line_without_tabs_ends_the_column_block()
    {
        // The long first cell widens its column only until the line that lacks the column.
        Assert.Equal(
            "long-cell-value   b\n" +
            "break\n" +
            "short" + Spaces(5) + "x\n",
            Docker("long-cell-value\tb\nbreak\nshort\tx\n"));
    }

    [Fact]
    public void Wide_characters_count_two_columns_and_combining_marks_none()
    {
        Assert.Equal(
            "日本語" + Spaces(7) + "x\n" +
            "cafe\u0301" + Spaces(9) + "y\n" +
            "abcdefghij" + Spaces(3) + "z\n",
            Docker("日本語\tx\ncafe\u0301\ty\nabcdefghij\tz\n"));
    }

    [Fact]
    public void Text_without_a_final_newline_is_written_on_flush()
    {
        Assert.Equal("a" + Spaces(9) + "b", Docker("a\tb"));
    }

    [Fact]
    public void Other_settings_follow_go_tabwriter()
    {
        var output = new StringWriter();
        var tabs = new TabWriter(output, 0, 8, 1, '.', TabWriterFlags.AlignRight | TabWriterFlags.Debug);
        tabs.Write("a\tbbb\tc\naa\tb\tc\n");
        tabs.Flush();
        Assert.Equal("..a|.bbb|c\n.aa|...b|c\n", output.ToString());
    }
}
