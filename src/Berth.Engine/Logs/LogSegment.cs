using System.IO.Compression;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Logs;

/// <summary>A file of a log opened for reading: a rotated one (perhaps gzipped) or the current one.</summary>
internal sealed class LogSegment(SafeFileHandle file, bool compressed) : IDisposable
{
    public SafeFileHandle File { get; } = file;

    public bool Compressed { get; } = compressed;

    /// <summary>Which file this is, whatever its name is by now.</summary>
    public FileIdentity Identity { get; } = FileIdentity.Of(file);

    /// <summary>The records from <paramref name="offset"/> (plain files) on, up to <paramref name="limit"/>.</summary>
    public RecordReader Records(LogRecordFormat format, long offset = 0, long limit = long.MaxValue) => Compressed
        ? new RecordReader(format, new GZipStream(new BufferedStream(new HandleReadStream(File), 64 * 1024), CompressionMode.Decompress))
        : new RecordReader(format, File, offset, limit);

    public long Length => RandomAccess.GetLength(File);

    public void Dispose() => File.Dispose();
}
