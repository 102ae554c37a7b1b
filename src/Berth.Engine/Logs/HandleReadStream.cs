using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Logs;

/// <summary>A file read from its start as a stream, without taking ownership of the descriptor (a FileStream would close it).</summary>
internal sealed class HandleReadStream(SafeFileHandle file) : Stream
{
    long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        int n = RandomAccess.Read(file, buffer, _position);
        _position += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
