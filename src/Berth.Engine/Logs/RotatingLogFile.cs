using System.IO.Compression;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Logs;

/// <summary>
/// The file a log writer appends entries to, rotated as dockerd's loggerutils.LogFile does: before an entry, once
/// the file holds max-size bytes or more, the oldest rotated file is removed, the others move up one number, the
/// current file becomes &lt;path&gt;.1 and a new empty file takes its place (with max-file 1 the current file is
/// just replaced). With compress, &lt;path&gt;.1 is gzipped in the background; the next rotation waits for that.
/// Readers in other processes notice a rotation by the file at &lt;path&gt; changing, and open the files under a
/// shared flock on the current file, which a rotation holds exclusively. Not thread-safe.
/// </summary>
internal sealed class RotatingLogFile : IDisposable
{
    const uint FileMode = 0b110_100_000; // 0640, as dockerd

    readonly string _path;
    readonly LogFileSettings _settings;
    SafeFileHandle? _file;
    long _size;
    Task _compression = Task.CompletedTask;

    public RotatingLogFile(string path, LogFileSettings settings)
    {
        _path = path;
        _settings = settings;
        Open(truncate: false);
    }

    public string Path => _path;

    /// <summary>Writes one whole entry with one write(2), rotating first when the file is full.</summary>
    public void Append(ReadOnlySpan<byte> entry)
    {
        if (_file is null)
            Open(truncate: false);
        else if (_settings.MaxSize >= 0 && _size >= _settings.MaxSize)
            Rotate();
        int fd = (int)_file!.DangerousGetHandle();
        int errno = FilesAt.Write(fd, entry);
        if (errno != 0)
        {
            // Part of the entry may be in the file.
            _size = FilesAt.Stat(fd, out var stat) == 0 ? stat.Size : _size;
            throw new LinuxException(errno, $"write {_path}");
        }
        _size += entry.Length;
    }

    void Open(bool truncate)
    {
        var flags = OpenFlags.WriteOnly | OpenFlags.Append | OpenFlags.Create | (truncate ? OpenFlags.Truncate : 0);
        _file = Files.Open(_path, flags, FileMode);
        _size = truncate ? 0 : FileSizeOf(_file);
    }

    static long FileSizeOf(SafeFileHandle file)
    {
        int errno = FilesAt.Stat((int)file.DangerousGetHandle(), out var stat);
        return errno == 0 ? stat.Size : throw new LinuxException(errno, "stat log file");
    }

    void Rotate()
    {
        WaitForCompression();
        var full = _file!;
        _file = null;
        bool renamed = false;
        try
        {
            // Readers open a log's files under a shared lock on the current file (LogFileSet): they see the names
            // before this rotation or after it, never half renamed. Closing the file below releases the lock, once the
            // new file is at <path>.
            DescriptorLocks.Acquire(full, exclusive: true);
            renamed = RenameOrRemove();
            Open(truncate: true);
        }
        finally
        {
            full.Dispose();
        }
        if (renamed && _settings.Compress)
        {
            string rotated = RotatedFiles.Name(_path, 1, compressed: false);
            // In line with the write that rotated: a background compression raced the next rotation's renames and lost a file.
            Compress(rotated, RotatedFiles.Name(_path, 1, compressed: true), RotatedFiles.CompressionTemporary(_path));
        }
    }

    /// <summary>Moves the files up one number (true), or removes the current one when max-file is 1.</summary>
    bool RenameOrRemove()
    {
        try
        {
            if (_settings.MaxFiles >= 2)
            {
                // With compress, a file whose compression failed stays plain: it moves up like the others, or the next
                // rotation would overwrite it at <path>.1 (dockerd loses those entries; readers take either form).
                bool compress = _settings.Compress;
                File.Delete(RotatedFiles.Name(_path, _settings.MaxFiles - 1, compressed: false));
                if (compress)
                    File.Delete(RotatedFiles.Name(_path, _settings.MaxFiles - 1, compressed: true));
                for (int i = _settings.MaxFiles - 1; i > 1; i--)
                {
                    MoveIfExists(RotatedFiles.Name(_path, i - 1, compressed: false), RotatedFiles.Name(_path, i, compressed: false));
                    if (compress)
                        MoveIfExists(RotatedFiles.Name(_path, i - 1, compressed: true), RotatedFiles.Name(_path, i, compressed: true));
                }
                MoveIfExists(_path, RotatedFiles.Name(_path, 1, compressed: false));
                return true;
            }
            // Readers may still be reading the old file: it goes away with their last descriptor.
            File.Delete(_path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // As dockerd: the current file is truncated by the caller and the entries in it are lost.
        }
        return false;
    }

    // Most numbers have no file (max-file 1000, a few rotations so far): a stat is much cheaper than an exception.
    static void MoveIfExists(string from, string to)
    {
        if (!File.Exists(from))
            return;
        try
        {
            File.Move(from, to, overwrite: true);
        }
        catch (FileNotFoundException)
        {
        }
    }

    static void Compress(string source, string destination, string temporary)
    {
        try
        {
            // Raw descriptors, not FileStream's own open: on Linux that takes flock(LOCK_SH|LOCK_NB) to emulate FileShare,
            // and fails ("in use") while the rotation's LOCK_EX on this very file lingers in a child some other thread of
            // the process is spawning (the child shares the descriptor until its exec): the compression was then skipped.
            using (var input = new FileStream(Files.Open(source, OpenFlags.ReadOnly), FileAccess.Read))
            using (var output = new FileStream(Files.Open(temporary, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate, FileMode), FileAccess.Write))
            using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
            {
                input.CopyTo(gzip);
            }
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            File.Move(temporary, destination, overwrite: true);
            File.Delete(source);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or LinuxException)
        {
            // dockerd logs the failure and keeps the uncompressed file; so does Berth (readers take either).
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    void WaitForCompression()
    {
        try
        {
            _compression.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    public void Dispose()
    {
        WaitForCompression();
        _file?.Dispose();
        _file = null;
    }
}
