using System.Text;
using Berth.Engine.Logs;
using Berth.Engine.Streams;
using static Berth.Engine.Tests.Logs.LogDirectory;

namespace Berth.Engine.Tests.Logs;

/// <summary>
/// <see cref="LogReader.CopyToAsync"/>: the bytes of every entry <see cref="LogReader.ReadAsync"/> gives, formatted as
/// <see cref="LogFormatter"/> does, in few large writes; and, following, each entry written out before waiting for more.
/// (Waits are bounded only to fail instead of hang.)
/// </summary>
public sealed class LogCopyTests : IDisposable
{
    static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    static readonly DateTimeOffset Start = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    readonly LogDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A stream that keeps what is written and counts the writes.</summary>
    sealed class Recorder : MemoryStream
    {
        readonly SemaphoreSlim _written = new(0);

        public int Writes { get; private set; }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            lock (this)
            {
                Writes++;
                base.Write(buffer.ToArray(), 0, buffer.Length);
            }
            _written.Release();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public byte[] Bytes()
        {
            lock (this)
                return ToArray();
        }

        public async Task WaitForAsync(int length)
        {
            using var guard = new CancellationTokenSource(Guard);
            while (Bytes().Length < length)
                await _written.WaitAsync(guard.Token);
        }
    }

    // Lines of many lengths with bytes to escape, on both streams, in files of about 64 KiB; and one very long line.
    string Write(LogConfig config, int count)
    {
        string path = config.Type == "local" ? Path.Combine(_dir.Path, "local-logs", "container.log") : _dir.File("c-json.log");
        using var writer = LogDrivers.Create(config, path);
        for (int i = 0; i < count; i++)
        {
            string text = $"line {i} \t\"é\" {new string('x', i % 300)}\n";
            writer.Write(i % 3 == 0 ? LogSource.Stderr : LogSource.Stdout, Encoding.UTF8.GetBytes(text), Start.AddTicks(i * 1234567L));
        }
        writer.Write(LogSource.Stdout, Encoding.ASCII.GetBytes(new string('y', 15000)), Start.AddSeconds(count));
        writer.Complete(LogSource.Stdout, Start.AddSeconds(count));
        return path;
    }

    static async Task<byte[]> Expected(LogConfig config, string path, LogReadOptions options, bool timestamps, bool tty)
    {
        var expected = new MemoryStream();
        foreach (var entry in await ReadAllAsync(config, path, options, Task.CompletedTask))
        {
            var bytes = new byte[LogFormatter.Length(entry, timestamps, tty)];
            expected.Write(bytes, 0, LogFormatter.Format(entry, timestamps, tty, bytes));
        }
        return expected.ToArray();
    }

    public static TheoryData<string, bool, bool> Cases => new()
    {
        { "json-file", false, false },
        { "json-file", true, false },
        { "json-file", false, true },
        { "json-file", true, true },
        { "local", false, false },
        { "local", true, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_bytes_are_those_of_each_entry_formatted_in_turn(string driver, bool timestamps, bool tty)
    {
        var config = Config(driver, ("max-size", "64k"), ("max-file", "20"), ("compress", "true"));
        string path = Write(config, 5000);
        var selections = new[]
        {
            All,
            All with { Stderr = false },
            All with { Stdout = false },
            All with { Tail = 777 },
            All with { Tail = 0 },
            All with { Since = Start.AddTicks(1000 * 1234567L), Until = Start.AddTicks(3000 * 1234567L) },
        };
        foreach (var options in selections)
        {
            var expected = await Expected(config, path, options, timestamps, tty);
            var output = new Recorder();
            await LogReader.CopyToAsync(config, path, options, Task.CompletedTask, output, timestamps, tty, default);
            Assert.Equal(expected, output.Bytes());
        }
    }

    [Fact]
    public async Task Many_entries_go_out_in_one_write()
    {
        var config = Config("json-file");
        string path = Write(config, 5000);
        var output = new Recorder();
        await LogReader.CopyToAsync(config, path, All, Task.CompletedTask, output, timestamps: false, tty: false, default);
        Assert.True(output.Writes < output.Length / (LogBatchWriter.FlushAt / 2), $"{output.Writes} writes for {output.Length} bytes");
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        output.Position = 0;
        await MultiplexedStreamReader.CopyAsync(output, stdout, stderr);
        Assert.StartsWith("line 1 \t\"é\" x\n", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.StartsWith("line 0 \t\"é\" \n", Encoding.UTF8.GetString(stderr.ToArray()));
    }

    [Fact]
    public async Task A_line_longer_than_a_batch_goes_out_whole()
    {
        string path = _dir.File("long-json.log");
        string line = new string('z', 3 * LogBatchWriter.FlushAt) + "\n";
        File.WriteAllText(path, $$"""{"log":"{{line.TrimEnd('\n')}}\n","stream":"stdout","time":"2024-01-02T03:04:05Z"}""" + "\n");
        var output = new Recorder();
        await LogReader.CopyToAsync(Config("json-file"), path, All, Task.CompletedTask, output, timestamps: false, tty: true, default);
        Assert.Equal(Encoding.ASCII.GetBytes(line), output.Bytes());
    }

    [Fact]
    public async Task Following_each_entry_goes_out_before_waiting_for_the_next()
    {
        var config = Config("json-file");
        string path = _dir.File("follow-json.log");
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var writer = LogDrivers.Create(config, path);
        writer.Write(LogSource.Stdout, "first\n"u8, Start);
        var output = new Recorder();
        var copy = LogReader.CopyToAsync(config, path, All with { Follow = true }, stopped.Task, output, timestamps: false, tty: true, default);
        await output.WaitForAsync("first\n".Length);
        writer.Write(LogSource.Stdout, "second\n"u8, Start.AddSeconds(1));
        await output.WaitForAsync("first\nsecond\n".Length);
        Assert.False(copy.IsCompleted);
        writer.Write(LogSource.Stderr, "last\n"u8, Start.AddSeconds(2));
        stopped.SetResult();
        await copy.WaitAsync(Guard);
        Assert.Equal("first\nsecond\nlast\n"u8.ToArray(), output.Bytes());
    }
}
