using Berth.Linux;

namespace Berth.Engine.Logs;

/// <summary>
/// The files of a log opened together, oldest first, as they were at one moment although the writer (another
/// process) may be rotating them meanwhile. A rotation renames every rotated file (the oldest first) and only then
/// &lt;path&gt; to &lt;path&gt;.1, so &lt;path&gt; being the same file before and after is no proof that the names in
/// between stood still. The writer holds an exclusive flock on the current file while it rotates
/// (<see cref="RotatingLogFile"/>); a set is opened under a shared one, which keeps the names still.
/// </summary>
internal sealed class LogFileSet : IDisposable
{
    /// <summary>
    /// For tests: called after each file of a set is opened, with its name, on the flow that opens the set; to make
    /// a writer's renames happen at exactly that point.
    /// </summary>
    internal static readonly AsyncLocal<Action<string>?> AfterOpeningForTest = new();

    LogFileSet(List<LogSegment> rotated, LogSegment? current)
    {
        Rotated = rotated;
        Current = current;
    }

    /// <summary>The rotated files, oldest first.</summary>
    public List<LogSegment> Rotated { get; }

    /// <summary>The file being written, null when there is none (yet).</summary>
    public LogSegment? Current { get; private set; }

    /// <summary>Hands the current file over to the caller.</summary>
    public LogSegment? TakeCurrent()
    {
        var current = Current;
        Current = null;
        return current;
    }

    /// <summary>Hands the newest file over to the caller: the current one, else the last rotated one; null when there are none.</summary>
    public LogSegment? TakeNewest()
    {
        if (Current is not null)
            return TakeCurrent();
        if (Rotated.Count == 0)
            return null;
        var newest = Rotated[^1];
        Rotated.RemoveAt(Rotated.Count - 1);
        return newest;
    }

    /// <summary>
    /// Opens the log at <paramref name="path"/> with up to <paramref name="maxFiles"/> - 1 rotated files. With
    /// <paramref name="newerThan"/> (a file the caller has read and still holds open), only the rotated files newer
    /// than that one. When that file is no longer among the rotated files it was removed as the oldest, and all are
    /// newer; unless the log is <paramref name="compressed"/>: then it may have been compressed into a new file that
    /// cannot be told from the others, and as dockerd none are taken (the follower goes on from the current file).
    /// </summary>
    public static LogFileSet Open(string path, int maxFiles, FileIdentity? newerThan = null, bool compressed = false)
    {
        var range = new RotatedRange(path, maxFiles, newerThan, compressed);
        // Each failed attempt means the writer finished a rotation (or created the log) meanwhile.
        while (true)
        {
            var set = TryOpen(range);
            if (set is not null)
                return set;
        }
    }

    readonly record struct RotatedRange(string Path, int MaxFiles, FileIdentity? NewerThan, bool Compressed);

    static LogFileSet? TryOpen(RotatedRange range)
    {
        var current = OpenFile(range.Path, compressed: false);
        return current is null ? TryOpenWithoutCurrent(range) : TryOpenUnderLock(range, current);
    }

    static LogFileSet? TryOpenUnderLock(RotatedRange range, LogSegment current)
    {
        LogSegment? owned = current;
        List<LogSegment>? rotated = null;
        try
        {
            // Waits while the writer is rotating this file; once the lock is held it cannot start to.
            DescriptorLocks.Acquire(current.File, exclusive: false);
            try
            {
                if (FileIdentity.At(range.Path) != current.Identity)
                    return null;
                rotated = OpenRotated(range);
            }
            finally
            {
                DescriptorLocks.Release(current.File);
            }
            var set = new LogFileSet(rotated, current);
            (rotated, owned) = (null, null);
            return set;
        }
        finally
        {
            DisposeAll(rotated);
            owned?.Dispose();
        }
    }

    // No file at <path>: no writer has created it yet, or one is between renaming it to <path>.1 and creating the new
    // one. There is no current file to lock; instead the names are taken if, after they were opened, <path> is still
    // missing and <path>.1 the same file as before. Any rename the writer made meanwhile would show there: a rotation
    // ends by renaming <path> to <path>.1, and it starts only once <path> exists and leaves it existing until that
    // very rename (the file that was at <path>.1 before is held open, so its inode cannot come back on another file).
    static LogFileSet? TryOpenWithoutCurrent(RotatedRange range)
    {
        if (range.MaxFiles < 2)
            return new LogFileSet([], null);
        var newestBefore = OpenRotatedFile(range.Path, 1);
        List<LogSegment>? rotated = null;
        try
        {
            rotated = OpenRotated(range);
            bool still = FileIdentity.At(range.Path) is null && RotatedIdentity(range.Path, 1) == newestBefore?.Identity;
            if (!still)
                return null;
            var set = new LogFileSet(rotated, null);
            rotated = null;
            return set;
        }
        finally
        {
            DisposeAll(rotated);
            newestBefore?.Dispose();
        }
    }

    static List<LogSegment> OpenRotated(RotatedRange range)
    {
        int oldest = range.MaxFiles - 1;
        if (range.NewerThan is { } read)
        {
            int index = IndexOf(range.Path, range.MaxFiles, read);
            oldest = index > 0 ? index - 1 : range.Compressed ? 0 : range.MaxFiles - 1;
        }
        var rotated = new List<LogSegment>();
        try
        {
            for (int i = oldest; i >= 1; i--)
            {
                if (OpenRotatedFile(range.Path, i) is { } segment)
                    rotated.Add(segment);
            }
            return rotated;
        }
        catch
        {
            DisposeAll(rotated);
            throw;
        }
    }

    /// <summary>Where <paramref name="file"/> is among the rotated files, 0 when it is not.</summary>
    static int IndexOf(string path, int maxFiles, FileIdentity file)
    {
        for (int i = 1; i < maxFiles; i++)
        {
            if (FileIdentity.At(RotatedFiles.Name(path, i, compressed: false)) == file
                || FileIdentity.At(RotatedFiles.Name(path, i, compressed: true)) == file)
                return i;
        }
        return 0;
    }

    // While <path>.N is being compressed both names exist: the plain one is the same records and is removed last.
    static LogSegment? OpenRotatedFile(string path, int index)
        => OpenFile(RotatedFiles.Name(path, index, compressed: false), compressed: false)
            ?? OpenFile(RotatedFiles.Name(path, index, compressed: true), compressed: true);

    static FileIdentity? RotatedIdentity(string path, int index)
        => FileIdentity.At(RotatedFiles.Name(path, index, compressed: false))
            ?? FileIdentity.At(RotatedFiles.Name(path, index, compressed: true));

    static LogSegment? OpenFile(string path, bool compressed)
    {
        int result = Files.TryOpen(path, OpenFlags.ReadOnly, out var handle);
        if (result == 0)
        {
            LogSegment segment;
            try
            {
                segment = new LogSegment(handle!, compressed);
            }
            catch
            {
                handle!.Dispose();
                throw;
            }
            AfterOpeningForTest.Value?.Invoke(path);
            return segment;
        }
        if (-result is Errno.ENOENT)
            return null;
        throw new LinuxException(-result, $"open {path}");
    }

    static void DisposeAll(List<LogSegment>? segments)
    {
        if (segments is null)
            return;
        foreach (var segment in segments)
            segment.Dispose();
    }

    public void Dispose()
    {
        DisposeAll(Rotated);
        Current?.Dispose();
    }
}
