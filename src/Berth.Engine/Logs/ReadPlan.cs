using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Logs;

/// <summary>
/// Where reading starts in each file of a log: at the beginning of every file, or, for a tail of N, at the N-th
/// last record counted back from the end of the current file through the rotated ones (dockerd's tailFiles). Plain
/// files are walked backwards; a .gz is decompressed once to count its records and again to read the last ones.
/// </summary>
internal static class ReadPlan
{
    /// <summary>
    /// Adds a reader for each rotated file that has records to read (oldest first) to <paramref name="readers"/> and
    /// returns the reader of the current file. Without <paramref name="follow"/> the current file is read only as far
    /// as it was written now.
    /// </summary>
    public static RecordReader? Build(List<LogSegment> rotated, LogSegment? current, LogRecordFormat format, int? tail, bool follow, List<RecordReader> readers)
    {
        long currentEnd = current?.Length ?? 0;
        long limit = follow ? long.MaxValue : currentEnd;
        if (tail is not { } count)
        {
            foreach (var segment in rotated)
                readers.Add(segment.Records(format));
            return current?.Records(format, 0, limit);
        }

        int remaining = Math.Max(count, 0);
        RecordReader? currentReader = null;
        if (current is not null)
        {
            var (offset, found) = FindTail(current.File, currentEnd, remaining, format);
            currentReader = current.Records(format, offset, limit);
            remaining -= found;
        }
        var older = new List<RecordReader>();
        for (int i = rotated.Count - 1; i >= 0 && remaining > 0; i--)
        {
            var segment = rotated[i];
            if (segment.Compressed)
            {
                int total;
                using (var counter = segment.Records(format))
                    total = counter.Skip(int.MaxValue);
                var reader = segment.Records(format);
                reader.Skip(Math.Max(0, total - remaining));
                older.Add(reader);
                remaining -= Math.Min(total, remaining);
            }
            else
            {
                var (offset, found) = FindTail(segment.File, segment.Length, remaining, format);
                older.Add(segment.Records(format, offset));
                remaining -= found;
            }
        }
        older.Reverse();
        readers.AddRange(older);
        return currentReader;
    }

    static (long Offset, int Found) FindTail(SafeFileHandle file, long end, int count, LogRecordFormat format)
    {
        if (format.TryFindTail(file, end, count, out long offset, out int found))
            return (offset, found);
        // A record half written (or damaged) at the end: count the records from the front instead.
        var starts = new Queue<long>();
        using var reader = new RecordReader(format, file, 0, end);
        long start = 0;
        while (reader.TryRead(out _))
        {
            starts.Enqueue(start);
            if (starts.Count > count)
                starts.Dequeue();
            start = reader.Position;
        }
        return starts.Count > 0 ? (starts.Peek(), starts.Count) : (start, 0);
    }
}
