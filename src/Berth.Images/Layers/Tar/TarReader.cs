using System.Buffers;
using System.Security.Cryptography;

namespace Berth.Images.Layers;

/// <summary>
/// A streaming tar reader over one pooled buffer: ustar, PAX (local records; global ones are
/// ignored, as Docker does), GNU long names and links, old GNU sparse ('S') and PAX sparse 0.0,
/// 0.1 and 1.0. Every byte read from the source goes through <paramref name="hash"/> as it arrives,
/// so the digest of the uncompressed stream (a layer's diffID) costs no second pass.
///
/// Usage: <see cref="Next"/> returns the next entry (the same <see cref="TarEntry"/> instance each
/// time) or null at the end; <see cref="ReadData"/> hands out the entry's data as spans of the
/// internal buffer, valid until the next call. Data not read is skipped by the next
/// <see cref="Next"/>. Malformed or truncated input throws <see cref="StoreException"/>
/// (InvalidArgument) with the byte offset and the entry concerned.
/// </summary>
public sealed partial class TarReader : IDisposable
{
    const int MaxMetadataSize = 1 << 20; // PAX headers, long names, sparse maps: as Go's archive/tar

    readonly Stream _source;
    readonly IncrementalHash? _hash;
    byte[] _buffer;
    int _pos, _end;
    bool _sourceEnded;
    long _consumedBefore; // stream offset of _buffer[0]
    long _dataRemaining;  // archive bytes of the current entry's data not yet consumed
    int _padding;         // zeros after the data up to the next 512-byte block
    bool _finished;
    readonly TarEntry _entry = new();

    public TarReader(Stream source, IncrementalHash? hash = null, int bufferSize = 1 << 20)
    {
        _source = source;
        _hash = hash;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bufferSize, 64 * 1024));
    }

    /// <summary>Bytes read from the source so far (after <see cref="ReadToEnd"/>: the stream's length).</summary>
    public long BytesRead => _consumedBefore + _end;

    /// <summary>Offset in the stream of the next byte to be parsed.</summary>
    public long Position => _consumedBefore + _pos;

    /// <summary>Archive bytes of the current entry's data not yet read.</summary>
    public long DataRemaining => _dataRemaining;

    /// <summary>
    /// The next chunk of the current entry's data, at most <paramref name="max"/> bytes; empty when
    /// the data is exhausted. For a sparse entry this is the concatenation of its segments.
    /// </summary>
    public ReadOnlySpan<byte> ReadData(int max = int.MaxValue)
    {
        if (_dataRemaining == 0)
            return default;
        if (_pos == _end && !Fill(1))
            throw Truncated();
        int n = (int)Math.Min(Math.Min(_end - _pos, _dataRemaining), max);
        var chunk = _buffer.AsSpan(_pos, n);
        _pos += n;
        _dataRemaining -= n;
        return chunk;
    }

    /// <summary>Copies exactly <paramref name="destination"/>.Length bytes of data.</summary>
    public void ReadDataExactly(Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var chunk = ReadData(destination.Length);
            if (chunk.IsEmpty)
                throw Truncated();
            chunk.CopyTo(destination);
            destination = destination[chunk.Length..];
        }
    }

    /// <summary>
    /// Reads what follows the end-of-archive marker to the end of the source, so that the hash
    /// covers the whole stream (Docker's diffID is the digest of every byte, padding included).
    /// </summary>
    public void ReadToEnd()
    {
        while (!_sourceEnded)
        {
            _consumedBefore += _end;
            _pos = _end = 0;
            Fill(_buffer.Length);
        }
        _pos = _end;
    }

    /// <summary>Skips what is left of the current entry's data and padding.</summary>
    void SkipEntry()
    {
        long skip = _dataRemaining + _padding;
        _dataRemaining = 0;
        _padding = 0;
        while (skip > 0)
        {
            if (_pos == _end && !Fill(1))
                throw Truncated();
            int n = (int)Math.Min(_end - _pos, skip);
            _pos += n;
            skip -= n;
        }
    }

    /// <summary>Makes at least <paramref name="count"/> bytes available at _pos; false if the source ends first.</summary>
    bool Fill(int count)
    {
        if (_end - _pos >= count)
            return true;
        if (_pos > 0)
        {
            // Move the unread tail to the front; the buffer is large, so this is rare and short.
            int tail = _end - _pos;
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, tail);
            _consumedBefore += _pos;
            _pos = 0;
            _end = tail;
        }
        if (count > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(count);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        while (_end - _pos < count && !_sourceEnded)
        {
            int n = ReadSource(_buffer.AsSpan(_end));
            if (n == 0)
            {
                _sourceEnded = true;
                break;
            }
            _hash?.AppendData(_buffer, _end, n);
            _end += n;
        }
        return _end - _pos >= count;
    }

    int ReadSource(Span<byte> into)
    {
        try
        {
            return _source.Read(into);
        }
        catch (InvalidDataException e)
        {
            // GZipStream and the zstd decoder say "corrupt" this way.
            throw new StoreException(StoreErrorKind.InvalidArgument, $"layer stream is corrupt at uncompressed offset {BytesRead}: {e.Message}", e);
        }
        catch (EndOfStreamException e)
        {
            // The zstd decoder's word for a frame cut short.
            throw new StoreException(StoreErrorKind.InvalidArgument, $"layer stream is truncated at uncompressed offset {BytesRead}: {e.Message}", e);
        }
        catch (ZstdSharp.ZstdException e)
        {
            throw new StoreException(StoreErrorKind.InvalidArgument, $"layer stream is corrupt at uncompressed offset {BytesRead}: {e.Message}", e);
        }
    }

    StoreException Truncated()
        => StoreException.Invalid($"unexpected end of tar stream at offset {Position}{(_entry.NameBytes.IsEmpty ? "" : $" in entry \"{_entry.Name}\"")}: the archive is truncated");

    StoreException Corrupt(string what)
        => StoreException.Invalid($"invalid tar header at offset {Position}: {what}");

    public void Dispose()
    {
        if (_buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
