using Berth.Engine.Logs;
using Berth.Engine.Streams;

namespace Berth.Engine.Tests.Logs;

/// <summary>Entries as /containers/{id}/logs sends them.</summary>
public sealed class LogFormatterTests
{
    static readonly LogEntry Entry = new(LogSource.Stderr, new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234500), "hello\n"u8.ToArray());

    static byte[] Format(LogEntry entry, bool timestamps, bool tty)
    {
        var bytes = new byte[LogFormatter.Length(entry, timestamps, tty)];
        Assert.Equal(bytes.Length, LogFormatter.Format(entry, timestamps, tty, bytes));
        return bytes;
    }

    [Fact]
    public void With_a_terminal_the_line_goes_out_as_it_is()
    {
        Assert.Equal("hello\n"u8.ToArray(), Format(Entry, timestamps: false, tty: true));
        Assert.Equal("2024-01-02T03:04:05.123450000Z hello\n"u8.ToArray(), Format(Entry, timestamps: true, tty: true));
        Assert.Equal("2024-01-02T03:04:05.000000000Z x"u8.ToArray(), Format(Entry with { Time = Entry.Time.AddTicks(-1234500), Line = "x"u8.ToArray() }, true, true));
    }

    [Fact]
    public void Without_a_terminal_each_entry_is_one_frame_of_its_stream()
    {
        Assert.Equal([2, 0, 0, 0, 0, 0, 0, 6, .. "hello\n"u8], Format(Entry, timestamps: false, tty: false));
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 37, .. "2024-01-02T03:04:05.123450000Z hello\n"u8], Format(Entry with { Source = LogSource.Stdout }, timestamps: true, tty: false));
    }

    [Fact]
    public async Task Entries_formatted_one_after_another_read_back_as_frames()
    {
        var output = new MemoryStream();
        output.Write(Format(Entry, timestamps: false, tty: false));
        output.Write(Format(Entry with { Source = LogSource.Stdout }, timestamps: false, tty: false));
        output.Position = 0;
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        await MultiplexedStreamReader.CopyAsync(output, stdout, stderr);
        Assert.Equal("hello\n"u8.ToArray(), stdout.ToArray());
        Assert.Equal("hello\n"u8.ToArray(), stderr.ToArray());
    }
}
