using System.Text;
using System.Threading.Channels;
using Berth.Engine.Logs;
using static Berth.Engine.Tests.Logs.LogDirectory;

namespace Berth.Engine.Tests.Logs;

/// <summary>
/// Following: entries written after the reader started, across rotations, with writers on other threads; the end
/// when the container has stopped and all it wrote has been read. (Waits are bounded only to fail instead of hang.)
/// </summary>
public sealed class FollowTests : IDisposable
{
    static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    static readonly DateTimeOffset Start = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
    static readonly LogReadOptions Follow = All with { Follow = true };

    readonly LogDirectory _dir = new();
    readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose() => _dir.Dispose();

    /// <summary>Runs a following read in the background, handing its entries over one by one.</summary>
    sealed class Follower
    {
        readonly Channel<LogEntry> _entries = Channel.CreateUnbounded<LogEntry>();

        /// <summary>Starts following; the first look at the log (what is there, where to go on from) is taken before this returns.</summary>
        public Follower(LogConfig config, string path, LogReadOptions options, Task stopped, CancellationToken ct = default)
        {
            Finished = Pump(LogReader.ReadAsync(config, path, options, stopped, ct));
        }

        async Task Pump(IAsyncEnumerable<LogEntry> entries)
        {
            try
            {
                await foreach (var entry in entries)
                    _entries.Writer.TryWrite(entry);
                _entries.Writer.Complete();
            }
            catch (Exception e)
            {
                _entries.Writer.Complete(e);
                throw;
            }
        }

        public Task Finished { get; }

        public async Task<List<LogEntry>> Take(int count)
        {
            var taken = new List<LogEntry>();
            while (taken.Count < count)
                taken.Add(await _entries.Reader.ReadAsync().AsTask().WaitAsync(Guard));
            return taken;
        }

        /// <summary>Everything until the read ends.</summary>
        public async Task<List<LogEntry>> Rest()
        {
            var rest = new List<LogEntry>();
            await foreach (var entry in _entries.Reader.ReadAllAsync().WithCancellation(new CancellationTokenSource(Guard).Token))
                rest.Add(entry);
            await Finished.WaitAsync(Guard);
            return rest;
        }
    }

    static string[] Lines(int from, int count) => [.. Enumerable.Range(from, count).Select(i => $"line {i}")];

    static string[] WithNewlines(string[] lines) => [.. lines.Select(l => l + "\n")];

    [Fact]
    public async Task Lines_written_later_are_seen_and_the_read_ends_once_stopped_and_drained()
    {
        var config = Config("json-file");
        string path = _dir.File("c-json.log");
        var writer = LogDrivers.Create(config, path);
        WriteLines(writer, Start, ["a", "b"]);
        var follower = new Follower(config, path, Follow, _stopped.Task);
        Assert.Equal(["a\n", "b\n"], Texts(await follower.Take(2)));

        WriteLines(writer, Start, ["c"]);
        Assert.Equal(["c\n"], Texts(await follower.Take(1)));
        Assert.False(follower.Finished.IsCompleted);

        // Written just before the container stopped: still read before the end.
        WriteLines(writer, Start, Lines(0, 500));
        writer.Write(LogSource.Stderr, "no newline"u8, Start);
        writer.Dispose();
        _stopped.SetResult();
        var rest = await follower.Rest();
        Assert.Equal([.. WithNewlines(Lines(0, 500)), "no newline"], Texts(rest));
    }

    [Fact]
    public async Task A_log_that_does_not_exist_yet_is_waited_for()
    {
        var config = Config("json-file");
        string path = _dir.File("c-json.log");
        var follower = new Follower(config, path, Follow, _stopped.Task);
        using (var writer = LogDrivers.Create(config, path))
        {
            WriteLines(writer, Start, ["first"]);
            Assert.Equal(["first\n"], Texts(await follower.Take(1)));
            WriteLines(writer, Start, ["second"]);
        }
        _stopped.SetResult();
        Assert.Equal(["second\n"], Texts(await follower.Rest()));
    }

    [Fact]
    public async Task A_stopped_container_ends_the_read_after_the_existing_entries()
    {
        var config = Config("json-file");
        string path = _dir.File("c-json.log");
        using (var writer = LogDrivers.Create(config, path))
            WriteLines(writer, Start, Lines(0, 3));
        var follower = new Follower(config, path, Follow, Task.CompletedTask);
        Assert.Equal(WithNewlines(Lines(0, 3)), Texts(await follower.Rest()));
    }

    [Fact]
    public async Task Tail_0_follows_only_what_comes_next()
    {
        var config = Config("json-file");
        string path = _dir.File("c-json.log");
        using var writer = LogDrivers.Create(config, path);
        WriteLines(writer, Start, Lines(0, 10));
        // The read position is taken before the first MoveNextAsync returns or waits: what is written after that is followed.
        await using var tail0 = LogReader.ReadAsync(config, path, Follow with { Tail = 0 }, _stopped.Task, default).GetAsyncEnumerator();
        await using var tail2 = LogReader.ReadAsync(config, path, Follow with { Tail = 2 }, _stopped.Task, default).GetAsyncEnumerator();
        var next0 = tail0.MoveNextAsync();
        Assert.True(await tail2.MoveNextAsync().AsTask().WaitAsync(Guard));
        Assert.Equal("line 8\n", Text(tail2.Current));
        Assert.True(await tail2.MoveNextAsync().AsTask().WaitAsync(Guard));
        Assert.Equal("line 9\n", Text(tail2.Current));
        var next2 = tail2.MoveNextAsync();
        WriteLines(writer, Start, ["new"]);
        Assert.True(await next0.AsTask().WaitAsync(Guard));
        Assert.Equal("new\n", Text(tail0.Current));
        Assert.True(await next2.AsTask().WaitAsync(Guard));
        Assert.Equal("new\n", Text(tail2.Current));
        _stopped.SetResult();
        Assert.False(await tail0.MoveNextAsync().AsTask().WaitAsync(Guard));
        Assert.False(await tail2.MoveNextAsync().AsTask().WaitAsync(Guard));
    }

    [Fact]
    public async Task Until_ends_the_read_at_the_first_later_entry()
    {
        var config = Config("json-file");
        string path = _dir.File("c-json.log");
        using var writer = LogDrivers.Create(config, path);
        var follower = new Follower(config, path, Follow with { Until = Start.AddSeconds(1) }, _stopped.Task);
        WriteLines(writer, Start, ["t0", "t1", "t2", "t3"]);
        Assert.Equal(["t0\n", "t1\n"], Texts(await follower.Rest()));
    }

    [Fact]
    public async Task Cancelling_ends_the_read()
    {
        var config = Config("json-file");
        string path = _dir.File("c-json.log");
        using var writer = LogDrivers.Create(config, path);
        WriteLines(writer, Start, ["a"]);
        using var cancel = new CancellationTokenSource();
        var follower = new Follower(config, path, Follow, _stopped.Task, cancel.Token);
        await follower.Take(1);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => follower.Finished.WaitAsync(Guard));
    }

    public static TheoryData<string, bool> Drivers => new()
    {
        { "json-file", false },
        { "json-file", true },
        { "local", false },
        { "local", true },
    };

    [Theory]
    [MemberData(nameof(Drivers))]
    public async Task Rotations_are_followed(string driver, bool compress)
    {
        var config = Config(driver, ("max-size", "1k"), ("max-file", "3"), ("compress", compress ? "true" : "false"));
        string path = _dir.File("c.log");
        using var writer = LogDrivers.Create(config, path);
        var follower = new Follower(config, path, Follow, _stopped.Task);
        // One line at a time, each seen before the next is written: every rotation happens under the reader's eyes.
        for (int i = 0; i < 120; i++)
        {
            WriteLines(writer, Start, [$"line {i}"]);
            Assert.Equal([$"line {i}\n"], Texts(await follower.Take(1)));
        }
        Assert.Contains(compress ? "c.log.2.gz" : "c.log.2", _dir.Names());
        writer.Dispose();
        _stopped.SetResult();
        Assert.Empty(await follower.Rest());
    }

    [Theory]
    [InlineData("json-file")]
    [InlineData("local")]
    public async Task A_reader_keeps_up_with_two_writing_threads_and_rotations_it_did_not_see(string driver)
    {
        // Files of 16 KB, all kept: a reader that falls several rotations behind finds the files it missed.
        var config = Config(driver, ("max-size", "16k"), ("max-file", "1000"), ("compress", "false"));
        string path = _dir.File("c.log");
        const int PerStream = 5000;
        var writer = LogDrivers.Create(config, path);
        var follower = new Follower(config, path, Follow, _stopped.Task);
        var threads = new[] { LogSource.Stdout, LogSource.Stderr }.Select(source => new Thread(() =>
        {
            for (int i = 0; i < PerStream; i++)
                writer.Write(source, Encoding.ASCII.GetBytes($"{source} {i}\n"), DateTimeOffset.UtcNow);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        writer.Dispose();
        _stopped.SetResult();
        var entries = await follower.Rest();
        Assert.True(_dir.Names().Length > 10);
        foreach (var source in new[] { LogSource.Stdout, LogSource.Stderr })
        {
            Assert.Equal(Enumerable.Range(0, PerStream).Select(i => $"{source} {i}\n"), Texts(entries.Where(e => e.Source == source)));
        }
    }

    /// <summary>
    /// Puts the log in <paramref name="directory"/> in place of the one in "live", between two looks of a follower of
    /// "live": a state of the log some rotations later, without the follower seeing any of them happen.
    /// </summary>
    void ReplaceLive(string directory)
    {
        Directory.Move(_dir.File("live"), _dir.File("live.before"));
        Directory.Move(_dir.File(directory), _dir.File("live"));
    }

    string LogIn(string directory) => Path.Combine(Directory.CreateDirectory(_dir.File(directory)).FullName, "c.log");

    [Fact]
    public async Task A_log_that_has_rotated_before_the_follower_first_sees_it_is_read_from_its_oldest_file()
    {
        var config = Config("json-file", ("max-size", "1k"), ("max-file", "10"), ("compress", "false"));
        // It has found no log and waits for one.
        var follower = new Follower(config, LogIn("live"), Follow, _stopped.Task);
        using (var writer = LogDrivers.Create(config, LogIn("rotated")))
            WriteLines(writer, Start, Lines(0, 100));
        Assert.True(File.Exists(_dir.File("rotated/c.log.2")));
        ReplaceLive("rotated");
        _stopped.SetResult();
        Assert.Equal(WithNewlines(Lines(0, 100)), Texts(await follower.Rest()));
    }

    [Fact]
    public async Task A_follower_whose_file_was_removed_as_the_oldest_meanwhile_reads_all_the_files_left()
    {
        // Its file is no longer among the rotated ones: without compression it can only have been removed, so every
        // rotated file left is newer than it.
        var config = Config("json-file", ("max-size", "1k"), ("max-file", "3"), ("compress", "false"));
        string path = LogIn("live");
        using (var writer = LogDrivers.Create(config, path))
            WriteLines(writer, Start, Lines(0, 5));
        var follower = new Follower(config, path, Follow, _stopped.Task);
        Assert.Equal(WithNewlines(Lines(0, 5)), Texts(await follower.Take(5)));
        string after = LogIn("after");
        using (var writer = LogDrivers.Create(config, after))
            WriteLines(writer, Start, Lines(5, 100));
        var left = Texts(ReadAll(config, after));
        Assert.NotEqual("line 5\n", left[0]);
        ReplaceLive("after");
        _stopped.SetResult();
        Assert.Equal(left, Texts(await follower.Rest()));
    }
}
