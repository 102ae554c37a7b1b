using System.IO.Compression;
using System.Text;
using Berth.Engine.Logs;
using Berth.Linux;
using Berth.TestSupport;
using static Berth.Engine.Tests.Logs.LogDirectory;

namespace Berth.Engine.Tests.Logs;

/// <summary>max-size, max-file and compress: which files there are after rotations and what they hold.</summary>
public sealed class RotationTests : IDisposable
{
    static readonly DateTimeOffset Start = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    readonly LogDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    static IEnumerable<string> Numbered(int count) => Enumerable.Range(0, count).Select(i => $"line {i:000} " + new string('x', 40));

    string WriteNumbered(LogConfig config, int count, string name = "c-json.log")
    {
        string path = _dir.File(name);
        using var writer = LogDrivers.Create(config, path);
        WriteLines(writer, Start, Numbered(count));
        return path;
    }

    // The lines that survived must be the newest ones, in order, without a gap.
    static void AssertNewestInOrder(List<LogEntry> entries, int written)
    {
        Assert.NotEmpty(entries);
        var expected = Numbered(written).TakeLast(entries.Count).Select(l => l + "\n");
        Assert.Equal(expected, Texts(entries));
    }

    [Fact]
    public void Max_size_and_max_file_keep_that_many_files_of_about_that_size()
    {
        var config = Config("json-file", ("max-size", "1k"), ("max-file", "3"));
        string path = WriteNumbered(config, 100);
        Assert.Equal(["c-json.log", "c-json.log.1", "c-json.log.2"], _dir.Names());
        long entryLength = new FileInfo(path).Length / File.ReadAllLines(path).Length;
        foreach (string rotated in new[] { path + ".1", path + ".2" })
        {
            // Rotation happens before the entry that finds the file at 1000 bytes (decimal k) or more.
            long length = new FileInfo(rotated).Length;
            Assert.InRange(length, 1000, 1000 + entryLength);
        }
        var entries = ReadAll(config, path);
        AssertNewestInOrder(entries, 100);
        Assert.Equal(File.ReadAllLines(path + ".2").Length + File.ReadAllLines(path + ".1").Length + File.ReadAllLines(path).Length, entries.Count);
    }

    [Fact]
    public void A_file_whose_compression_failed_moves_up_plain_and_loses_nothing()
    {
        var config = Config("json-file", ("max-size", "1k"), ("max-file", "10"), ("compress", "true"));
        string path = _dir.File("c-json.log");
        // A directory where the compressed copy is written: every compression fails, as on a full disk.
        Directory.CreateDirectory(RotatedFiles.CompressionTemporary(path));
        using (var writer = LogDrivers.Create(config, path))
            WriteLines(writer, Start, Numbered(60));

        Assert.Contains("c-json.log.2", _dir.Names());
        Assert.DoesNotContain(_dir.Names(), n => n.EndsWith(".gz", StringComparison.Ordinal));
        var entries = ReadAll(config, path);
        Assert.Equal(60, entries.Count);
        AssertNewestInOrder(entries, 60);
    }

    [Fact]
    public void Compress_gzips_the_rotated_files()
    {
        var config = Config("json-file", ("max-size", "1k"), ("max-file", "4"), ("compress", "true"));
        string path = WriteNumbered(config, 100);
        Assert.Equal(["c-json.log", "c-json.log.1.gz", "c-json.log.2.gz", "c-json.log.3.gz"], _dir.Names());
        using (var gzip = new GZipStream(File.OpenRead(path + ".1.gz"), CompressionMode.Decompress))
        using (var text = new StreamReader(gzip, Encoding.UTF8))
        {
            string[] lines = text.ReadToEnd().TrimEnd('\n').Split('\n');
            Assert.All(lines, l => Assert.StartsWith("{\"log\":\"line ", l));
        }
        AssertNewestInOrder(ReadAll(config, path), 100);
    }

    [Fact]
    public void One_file_is_truncated_when_it_is_full()
    {
        var config = Config("json-file", ("max-size", "1k"));
        string path = WriteNumbered(config, 100);
        Assert.Equal(["c-json.log"], _dir.Names());
        var entries = ReadAll(config, path);
        AssertNewestInOrder(entries, 100);
        Assert.True(entries.Count < 20);
    }

    [Fact]
    public void Without_max_size_nothing_rotates()
    {
        var config = Config("json-file", ("max-file", "3"));
        string path = WriteNumbered(config, 500);
        Assert.Equal(["c-json.log"], _dir.Names());
        Assert.Equal(500, ReadAll(config, path).Count);
    }

    [Fact]
    public void The_local_driver_rotates_and_compresses_by_default_at_its_own_limits()
    {
        var config = Config("local", ("max-size", "2k"), ("max-file", "3"));
        string path = Path.Combine(_dir.Path, "local-logs", "container.log");
        using (var writer = LogDrivers.Create(config, path))
            WriteLines(writer, Start, Numbered(200));
        Assert.Equal(["container.log", "container.log.1.gz", "container.log.2.gz"],
            Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        AssertNewestInOrder(ReadAll(config, path), 200);
    }

    [Fact]
    public void A_new_writer_on_a_full_file_rotates_before_its_first_entry()
    {
        var config = Config("json-file", ("max-size", "1k"), ("max-file", "2"));
        string path = _dir.File("c-json.log");
        int written = 0;
        using (var writer = LogDrivers.Create(config, path))
        {
            while (new FileInfo(path).Length < 1000)
                writer.Write(LogSource.Stdout, Encoding.ASCII.GetBytes($"line {written++}\n"), Start);
        }
        Assert.Equal(["c-json.log"], _dir.Names());
        using (var writer = LogDrivers.Create(config, path))
            writer.Write(LogSource.Stdout, "after restart\n"u8, Start);
        Assert.Equal(["c-json.log", "c-json.log.1"], _dir.Names());
        Assert.Single(File.ReadAllLines(path));
        var entries = ReadAll(config, path);
        Assert.Equal(written + 1, entries.Count);
        Assert.Equal("after restart\n", Text(entries[^1]));
    }

    [Fact]
    public async Task A_rotation_waits_while_a_reader_holds_the_shared_lock_on_the_current_file()
    {
        // Readers open a log's files under that lock (LogFileSet): they must never see the renames half done.
        var config = Config("json-file", ("max-size", "1k"), ("max-file", "3"));
        string path = _dir.File("c.log");
        using var writer = LogDrivers.Create(config, path);
        for (int i = 0; new FileInfo(path).Length < LogFileSettings.Parse(config).MaxSize; i++)
            WriteLines(writer, Start, [$"line {i}"]);
        Assert.Equal(["c.log"], _dir.Names());
        using var reader = Files.Open(path, OpenFlags.ReadOnly);
        DescriptorLocks.Acquire(reader, exclusive: false);
        // The file is full: this entry rotates it first.
        var rotating = Task.Run(() => WriteLines(writer, Start, ["next"]));
        ulong inode = FileIdentity.Of(reader).Inode;
        Wait.Until(() => rotating.IsCompleted || WaitsForExclusiveFlock(inode), "the writer to rotate or to wait for the lock");
        Assert.False(rotating.IsCompleted, "the writer rotated the log while a reader held the lock");
        Assert.Equal(["c.log"], _dir.Names());

        DescriptorLocks.Release(reader);
        await rotating.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(["c.log", "c.log.1"], _dir.Names());
        Assert.Equal(FileIdentity.Of(reader), FileIdentity.At(path + ".1"));
    }

    // A line of /proc/locks for a blocked request: "1: -> FLOCK  ADVISORY  WRITE <pid> <major>:<minor>:<inode> 0 EOF".
    static bool WaitsForExclusiveFlock(ulong inode) => File.ReadLines("/proc/locks")
        .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Any(f => f.Length > 6 && f[1] == "->" && f[2] == "FLOCK" && f[4] == "WRITE" && f[6].EndsWith($":{inode}", StringComparison.Ordinal));
}
