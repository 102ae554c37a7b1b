using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Berth.Linux;
using Berth.Oci;
using Microsoft.Win32.SafeHandles;

namespace Berth.Images.Content;

/// <summary>
/// Writes one ingest of a <see cref="FileContentStore"/>. Bytes are hashed as they are accepted and
/// gathered in one pooled buffer, written with positional writes (pwrite) at the end of what is on disk;
/// so the state is always "the file up to <c>_flushed</c>, then the buffer", and a failed or cancelled
/// write leaves it as it was (the caller may retry, or dispose and resume later). Not thread-safe.
/// </summary>
internal sealed class FileContentWriter : ContentWriter
{
    /// <summary>Pooled buffer size: small writes (tar headers) are gathered, big ones bypass it.</summary>
    internal const int BufferSize = 1 << 20;
    const long WritebackChunk = 8 << 20;

    readonly FileContentStore _store;
    readonly string _reference;
    readonly string _dir;
    readonly SafeFileHandle _handle;
    readonly Digest? _expected;
    readonly long _expectedSize;
    readonly string _algorithm;
    readonly IncrementalHash _hash;
    byte[]? _buffer;
    int _buffered;
    long _flushed;
    long _writebackFrom;

    public FileContentWriter(FileContentStore store, string reference, string dir, SafeFileHandle handle, Digest? expected, long expectedSize)
    {
        _store = store;
        _reference = reference;
        _dir = dir;
        _handle = handle;
        _expected = expected;
        _expectedSize = expectedSize;
        _algorithm = expected?.Algorithm ?? Digest.Sha256;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        // A resumed ingest: hash what an earlier writer left, so the digest covers all of it.
        _hash = HashFile(_algorithm, out _flushed);
    }

    public override long Offset => _flushed + _buffered;

    public override Digest CurrentDigest => Digest.FromHash(_algorithm, Hash);

    IncrementalHash Hash => _buffer is null ? throw Done() : _hash;

    public override void Write(ReadOnlySpan<byte> data)
    {
        var buffer = _buffer ?? throw Done();
        while (!data.IsEmpty)
        {
            if (_buffered == 0 && data.Length >= buffer.Length)
            {
                WriteAt(data, _flushed);
                _hash.AppendData(data);
                _flushed += data.Length;
                return;
            }
            int n = Math.Min(data.Length, buffer.Length - _buffered);
            Accept(data[..n], buffer);
            data = data[n..];
            if (_buffered == buffer.Length)
                Flush();
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var buffer = _buffer ?? throw Done();
        // Fast path without I/O (and without a state machine): it fits in the buffer.
        if (data.Length < buffer.Length - _buffered)
        {
            Accept(data.Span, buffer);
            return default;
        }
        return WriteSlowAsync(data, buffer, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    async ValueTask WriteSlowAsync(ReadOnlyMemory<byte> data, byte[] buffer, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            if (_buffered == 0 && data.Length >= buffer.Length)
            {
                await WriteAtAsync(data, _flushed, cancellationToken).ConfigureAwait(false);
                _hash.AppendData(data.Span);
                _flushed += data.Length;
                return;
            }
            int n = Math.Min(data.Length, buffer.Length - _buffered);
            Accept(data.Span[..n], buffer);
            data = data[n..];
            if (_buffered == buffer.Length)
            {
                await WriteAtAsync(buffer.AsMemory(0, _buffered), _flushed, cancellationToken).ConfigureAwait(false);
                _flushed += _buffered;
                _buffered = 0;
            }
        }
    }

    public override Digest Commit(long expectedSize = -1, Digest? expected = null)
    {
        _ = _buffer ?? throw Done();
        Flush();
        var want = expected ?? _expected;
        long size = expectedSize >= 0 ? expectedSize : _expectedSize;
        var actual = want is { } w && w.Algorithm != _algorithm ? Rehash(w.Algorithm) : Digest.FromHash(_algorithm, _hash);
        if (size >= 0 && _flushed != size)
            Fail($"content {want?.ToString() ?? actual.ToString()} (ingest {_reference}): size mismatch: expected {size} bytes, got {_flushed}");
        if (want is { } wanted && actual != wanted)
            Fail($"content {wanted} (ingest {_reference}): digest mismatch: expected {wanted}, got {actual} ({_flushed} bytes)");

        try
        {
            // Durable before visible: the data reaches the disk before its name appears in blobs/.
            RandomAccess.FlushToDisk(_handle);
            File.SetUnixFileMode(_handle, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            string blob = _store.BlobPath(actual);
            // Out of ingest/ first (one rename, lock still held), so no one can resume a committed ingest.
            string moved = _store.MoveToTmp(_dir) ?? throw new StoreException(StoreErrorKind.Internal, $"ingest {_reference}: its directory vanished while locked");
            int error = Files.TryRenameNoReplace(Path.Combine(moved, IngestFiles.Data), blob);
            if (error == 0)
                IngestFiles.SyncDirectory(Path.GetDirectoryName(blob)!);
            else if (error != Errno.EEXIST) // EEXIST: the same content was committed meanwhile, fine
                throw new StoreException(StoreErrorKind.Internal, $"commit ingest {_reference} to {blob}: {LinuxException.Describe(error)}");
            Release();
            IngestFiles.DeleteTree(moved);
            return actual;
        }
        catch (IOException e)
        {
            throw new StoreException(StoreErrorKind.Internal, $"commit ingest {_reference}: {e.Message}", e);
        }
        finally
        {
            Release();
        }
    }

    public override void Abort()
    {
        if (_buffer is null)
            return;
        _store.Discard(_dir);
        Release();
    }

    /// <summary>Keeps the ingest for resuming: what was accepted is written out, the lock released.</summary>
    public override void Dispose()
    {
        if (_buffer is null)
            return;
        try
        {
            Flush();
            // A write that failed half-way may have left bytes past _flushed; they are not hashed.
            if (RandomAccess.GetLength(_handle) > _flushed)
                RandomAccess.SetLength(_handle, _flushed);
        }
        catch (IOException)
        {
            // Disk full or failing: a resume hashes what is there and continues from it.
        }
        Release();
    }

    void Accept(ReadOnlySpan<byte> data, byte[] buffer)
    {
        data.CopyTo(buffer.AsSpan(_buffered));
        _hash.AppendData(data);
        _buffered += data.Length;
    }

    void Flush()
    {
        if (_buffered == 0)
            return;
        WriteAt(_buffer.AsSpan(0, _buffered), _flushed);
        _flushed += _buffered;
        _buffered = 0;
    }

    void WriteAt(ReadOnlySpan<byte> data, long offset)
    {
        try
        {
            RandomAccess.Write(_handle, data, offset);
            StartWriteback(offset + data.Length);
        }
        catch (IOException e)
        {
            throw new StoreException(StoreErrorKind.Internal, $"write ingest {_reference}: {e.Message}", e);
        }
    }

    async ValueTask WriteAtAsync(ReadOnlyMemory<byte> data, long offset, CancellationToken cancellationToken)
    {
        try
        {
            await RandomAccess.WriteAsync(_handle, data, offset, cancellationToken).ConfigureAwait(false);
            StartWriteback(offset + data.Length);
        }
        catch (IOException e)
        {
            throw new StoreException(StoreErrorKind.Internal, $"write ingest {_reference}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Every <see cref="WritebackChunk"/> bytes, has the kernel start writing them to disk, so that the
    /// fsync of <see cref="Commit"/> does not wait for a whole large blob at once: the blob reaches the
    /// disk while the rest is still arriving (or being unpacked beside it).
    /// </summary>
    void StartWriteback(long end)
    {
        if (end - _writebackFrom < WritebackChunk)
            return;
        Files.StartWriteback(_handle, _writebackFrom, end - _writebackFrom);
        _writebackFrom = end;
    }

    /// <summary>A new hash of the first bytes on disk (all of them; their count in <paramref name="length"/>).</summary>
    IncrementalHash HashFile(string algorithm, out long length)
    {
        length = RandomAccess.GetLength(_handle);
        var hash = IncrementalHash.CreateHash(algorithm == Digest.Sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);
        var buffer = _buffer!;
        for (long offset = 0; offset < length;)
        {
            int n = RandomAccess.Read(_handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - offset)), offset);
            if (n == 0)
                break;
            hash.AppendData(buffer.AsSpan(0, n));
            offset += n;
        }
        return hash;
    }

    Digest Rehash(string algorithm)
    {
        using var hash = HashFile(algorithm, out long length);
        if (length != _flushed)
            throw new StoreException(StoreErrorKind.Internal, $"ingest {_reference}: {length} bytes on disk, {_flushed} written");
        return Digest.FromHash(algorithm, hash);
    }

    /// <summary>Drops the ingest and throws <see cref="StoreErrorKind.DataLoss"/>: nothing of it is kept.</summary>
    void Fail(string message)
    {
        _store.Discard(_dir);
        Release();
        throw new StoreException(StoreErrorKind.DataLoss, message);
    }

    void Release()
    {
        if (_buffer is null)
            return;
        _handle.Dispose();
        _hash.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
    }

    ObjectDisposedException Done() => new($"ingest {_reference}", "the writer was committed, aborted or disposed");
}
