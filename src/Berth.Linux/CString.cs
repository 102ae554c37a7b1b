using System.Buffers;

namespace Berth.Linux;

/// <summary>
/// A NUL-terminated copy of a byte path for one system call: on the stack when short, pooled when
/// long, so that hot paths pass names without allocating. A NUL inside the name makes it invalid
/// (the kernel would silently cut it there).
/// </summary>
internal ref struct CString
{
    public const int StackSize = 256;

    byte[]? _rented;

    public CString(ReadOnlySpan<byte> value, Span<byte> stack)
    {
        if (value.Length + 1 > stack.Length)
        {
            _rented = ArrayPool<byte>.Shared.Rent(value.Length + 1);
            stack = _rented;
        }
        value.CopyTo(stack);
        stack[value.Length] = 0;
        Span = stack[..(value.Length + 1)];
        Valid = !value.Contains((byte)0);
    }

    /// <summary>The bytes with their terminating NUL.</summary>
    public Span<byte> Span { get; }

    public bool Valid { get; }

    public void Dispose()
    {
        if (_rented is not null)
            ArrayPool<byte>.Shared.Return(_rented);
        _rented = null;
    }
}
