using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Logs;

/// <summary>
/// Cuts a log file, or the decompressed stream of a rotated .gz, into whole records. A file is read at explicit
/// offsets, so a record still being written is kept back and read once it is complete (following). A stretch that
/// breaks the format's framing ends the reading of that file.
/// </summary>
internal sealed class RecordReader : IDisposable
{
    const int InitialBuffer = 64 * 1024;
    const int MaxBuffer = 32 * 1024 * 1024;

    readonly LogRecordFormat _format;
    readonly SafeFileHandle? _file;
    readonly Stream? _stream;
    readonly long _limit;
    long _fileOffset;
    byte[] _buffer = new byte[InitialBuffer];
    int _start, _end;
    bool _broken;

    /// <summary>Records of <paramref name="file"/> from <paramref name="offset"/>, up to <paramref name="limit"/> (exclusive) when given. The file stays the caller's.</summary>
    public RecordReader(LogRecordFormat format, SafeFileHandle file, long offset, long limit = long.MaxValue)
    {
        _format = format;
        _file = file;
        _fileOffset = offset;
        _limit = limit;
    }

    /// <summary>Records of a stream, which the reader disposes.</summary>
    public RecordReader(LogRecordFormat format, Stream stream)
    {
        _format = format;
        _stream = stream;
        _limit = long.MaxValue;
    }

    /// <summary>The offset in the file just past the last record returned.</summary>
    public long Position => _fileOffset - (_end - _start);

    /// <summary>The next whole record, valid until the next call; false when none is complete (yet).</summary>
    public bool TryRead(out ReadOnlySpan<byte> record)
    {
        while (!_broken)
        {
            ReadOnlySpan<byte> data = _buffer.AsSpan(_start, _end - _start);
            int length = data.IsEmpty ? 0 : _format.RecordLength(data);
            if (length > 0)
            {
                record = data[..length];
                _start += length;
                return true;
            }
            if (length < 0)
                _broken = true;
            else if (!Fill())
                break;
        }
        record = default;
        return false;
    }

    /// <summary>Reads past up to <paramref name="count"/> records; returns how many there were.</summary>
    public int Skip(int count)
    {
        int skipped = 0;
        while (skipped < count && TryRead(out _))
            skipped++;
        return skipped;
    }

    bool Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxBuffer)
            {
                _broken = true;
                return false;
            }
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        Span<byte> free = _buffer.AsSpan(_end);
        int n;
        if (_file is not null)
        {
            long allowed = _limit - _fileOffset;
            if (allowed <= 0)
                return false;
            if (allowed < free.Length)
                free = free[..(int)allowed];
            n = RandomAccess.Read(_file, free, _fileOffset);
        }
        else
        {
            try
            {
                n = _stream!.Read(free);
            }
            catch (InvalidDataException)
            {
                // A damaged .gz: what came out before the damage has been read.
                _broken = true;
                return false;
            }
        }
        _fileOffset += n;
        _end += n;
        return n > 0;
    }

    public void Dispose() => _stream?.Dispose();
}
