using System.Text;
using Berth.Engine.Logs;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Tests.Logs;

/// <summary>
/// Opening a log's files while its writer rotates them: the set must be the files as they were at one moment, never
/// a mix of names from before and after some of the renames (which loses or repeats a file). The renames are made
/// by hand at chosen points of the opening, through LogFileSet's test hook, for every point and every part of a
/// rotation: a schedule, not a race that may or may not happen.
/// </summary>
public sealed class LogFileSetTests : IDisposable
{
    const int MaxFiles = 6;

    readonly LogDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    string LogPath => _dir.File("c.log");

    string Name(int index) => RotatedFiles.Name(LogPath, index, compressed: false);

    /// <summary>
    /// A writer's renames made by hand, one step at a time, in RotatingLogFile's order and under its lock: an exclusive
    /// flock on the current file, taken without waiting (a step that cannot take it is tried again at the next
    /// chance, as the writer would wait). Every file holds its generation, "0\n" the oldest.
    /// </summary>
    sealed class HandWriter(string path, int maxFiles) : IDisposable
    {
        readonly List<Func<bool>> _steps = [];
        SafeFileHandle? _locked;
        int _next;

        public bool Done => _next == _steps.Count;

        /// <summary>Queues one rotation of the file at path, after which a file of <paramref name="generation"/> is at path.</summary>
        public HandWriter Rotation(int generation)
        {
            _steps.Add(LockCurrent);
            _steps.Add(() => Do(() => File.Delete(RotatedFiles.Name(path, maxFiles - 1, compressed: false))));
            for (int i = maxFiles - 1; i > 1; i--)
            {
                string from = RotatedFiles.Name(path, i - 1, compressed: false), to = RotatedFiles.Name(path, i, compressed: false);
                _steps.Add(() => Do(() => MoveIfExists(from, to)));
            }
            _steps.Add(() => Do(() => File.Move(path, RotatedFiles.Name(path, 1, compressed: false))));
            return Creation(generation);
        }

        /// <summary>Queues the end of a rotation: the new file, then the lock let go.</summary>
        public HandWriter Creation(int generation)
        {
            _steps.Add(() => Do(() => File.WriteAllText(path, $"{generation}\n")));
            _steps.Add(() => Do(Unlock));
            return this;
        }

        /// <summary>Takes a whole rotation, or none when its lock cannot be had now.</summary>
        public void Rotate()
        {
            Step(1);
            FinishRotation();
        }

        /// <summary>Takes the steps left of a rotation under way (its lock is held).</summary>
        public void FinishRotation()
        {
            while (_locked is not null)
                Step(1);
        }

        /// <summary>Takes up to <paramref name="count"/> steps, fewer when the lock cannot be had now.</summary>
        public void Step(int count = int.MaxValue)
        {
            for (; count > 0 && !Done && _steps[_next](); count--)
                _next++;
        }

        bool LockCurrent()
        {
            var file = Files.Open(path, OpenFlags.ReadOnly);
            if (!DescriptorLocks.TryAcquire(file, exclusive: true))
            {
                file.Dispose();
                return false;
            }
            _locked = file;
            return true;
        }

        void Unlock()
        {
            _locked?.Dispose();
            _locked = null;
        }

        static bool Do(Action step)
        {
            step();
            return true;
        }

        static void MoveIfExists(string from, string to)
        {
            if (File.Exists(from))
                File.Move(from, to);
        }

        public void Dispose() => Unlock();
    }

    /// <summary>path holds generation <paramref name="newest"/>, path.1 the one before, and so on down to 0.</summary>
    void Layout(int newest)
    {
        File.WriteAllText(LogPath, $"{newest}\n");
        for (int generation = newest - 1, index = 1; generation >= 0; generation--, index++)
            File.WriteAllText(Name(index), $"{generation}\n");
    }

    static int Generation(LogSegment segment)
    {
        var buffer = new byte[32];
        int n = RandomAccess.Read(segment.File, buffer, 0);
        return int.Parse(Encoding.ASCII.GetString(buffer, 0, n));
    }

    static List<int> Generations(LogFileSet set) => [.. set.Rotated.Select(Generation), .. set.Current is null ? [] : new[] { Generation(set.Current) }];

    /// <summary>
    /// Opens the set while the writer takes <paramref name="first"/> steps after the <paramref name="call"/>-th file
    /// opened and one step after each later one, then the rest. Once the reader has opened path it waits for the
    /// writer's lock, so a rotation under way is finished then (the hook runs on the reader's thread).
    /// </summary>
    List<int> OpenDuring(HandWriter writer, int call, int first, Func<LogFileSet> open)
    {
        int calls = 0;
        LogFileSet.AfterOpeningForTest.Value = opened =>
        {
            if (calls == call)
                writer.Step(first);
            else if (calls > call)
                writer.Step(1);
            calls++;
            if (opened == LogPath)
                writer.FinishRotation();
        };
        try
        {
            using var set = open();
            return Generations(set);
        }
        finally
        {
            LogFileSet.AfterOpeningForTest.Value = null;
            writer.Step();
            Assert.True(writer.Done);
        }
    }

    static void AssertOneMoment(List<int> generations, int oldest, int[] newestAllowed)
    {
        Assert.NotEmpty(generations);
        Assert.Equal(Enumerable.Range(oldest, generations.Count), generations);
        Assert.Contains(generations[^1], newestAllowed);
    }

    public static TheoryData<int, int> Schedules()
    {
        var data = new TheoryData<int, int>();
        for (int call = 0; call < 8; call++)
        {
            for (int first = 1; first <= MaxFiles + 4; first++)
                data.Add(call, first);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Schedules))]
    public void The_whole_log_opened_during_a_rotation_is_the_files_before_it_or_after_it(int call, int first)
    {
        Layout(newest: 3);
        using var writer = new HandWriter(LogPath, MaxFiles).Rotation(4);
        var generations = OpenDuring(writer, call, first, () => LogFileSet.Open(LogPath, MaxFiles));
        AssertOneMoment(generations, oldest: 0, newestAllowed: [3, 4]);
    }

    [Theory]
    [MemberData(nameof(Schedules))]
    public void The_files_after_one_read_opened_during_rotations_are_the_next_ones_in_order(int call, int first)
    {
        Layout(newest: 3);
        // A follower has read generation 1 and holds it (its identity is its place).
        using var read = new LogSegment(Files.Open(Name(2), OpenFlags.ReadOnly), compressed: false);
        using var writer = new HandWriter(LogPath, MaxFiles).Rotation(4).Rotation(5);
        var generations = OpenDuring(writer, call, first, () => LogFileSet.Open(LogPath, MaxFiles, read.Identity));
        AssertOneMoment(generations, oldest: 2, newestAllowed: [3, 4, 5]);
    }

    [Theory]
    [MemberData(nameof(Schedules))]
    public void The_log_opened_while_path_is_missing_in_a_rotation_is_the_files_before_it_or_after_it(int call, int first)
    {
        // The writer is between renaming path (generation 3) to path.1 and creating generation 4; a rotation follows.
        Layout(newest: 3);
        using var writer = new HandWriter(LogPath, MaxFiles).Rotation(4).Rotation(5);
        writer.Step(MaxFiles + 1);
        Assert.False(File.Exists(LogPath));
        var generations = OpenDuring(writer, call, first, () => LogFileSet.Open(LogPath, MaxFiles));
        AssertOneMoment(generations, oldest: 0, newestAllowed: [3, 4, 5]);
    }

    [Fact]
    public void A_file_read_before_and_removed_since_as_the_oldest_leaves_all_rotated_files_newer()
    {
        Layout(newest: 3);
        using var read = new LogSegment(Files.Open(Name(3), OpenFlags.ReadOnly), compressed: false);
        File.Delete(Name(3));
        using var set = LogFileSet.Open(LogPath, MaxFiles, read.Identity);
        Assert.Equal([1, 2, 3], Generations(set));
    }

    [Fact]
    public void In_a_compressed_log_a_file_read_before_and_gone_since_leaves_only_the_current_one()
    {
        // It may have been compressed into one of the .gz files, which cannot be told apart: as dockerd.
        Layout(newest: 3);
        using var read = new LogSegment(Files.Open(Name(1), OpenFlags.ReadOnly), compressed: false);
        File.Delete(Name(1));
        using var set = LogFileSet.Open(LogPath, MaxFiles, read.Identity, compressed: true);
        Assert.Equal([3], Generations(set));
    }

    [Fact]
    public void A_writer_rotating_again_and_again_while_the_files_are_opened_never_gives_a_set_of_two_moments()
    {
        // A rotation after every file opened: each attempt to open the set sees another rotation happen.
        Layout(newest: 3);
        using var writer = new HandWriter(LogPath, MaxFiles);
        for (int generation = 4; generation < 100; generation++)
            writer.Rotation(generation);
        LogFileSet.AfterOpeningForTest.Value = _ => writer.Rotate();
        List<int> generations;
        try
        {
            using var set = LogFileSet.Open(LogPath, MaxFiles);
            Assert.NotNull(set.Current);
            generations = Generations(set);
        }
        finally
        {
            LogFileSet.AfterOpeningForTest.Value = null;
            writer.Step();
        }
        Assert.Equal(MaxFiles, generations.Count);
        Assert.Equal(Enumerable.Range(generations[0], MaxFiles), generations);
    }
}
