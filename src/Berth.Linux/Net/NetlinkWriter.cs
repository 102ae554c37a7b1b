using System.Buffers.Binary;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Berth.Linux.Net;

/// <summary>
/// Builds one netlink request in a caller's buffer (stackalloc'd: requests are a few hundred bytes):
/// the nlmsghdr, the family header, then attributes, nested ones by <see cref="BeginNested"/>/<see cref="EndNested"/>.
/// </summary>
internal ref struct NetlinkWriter
{
    readonly Span<byte> _buffer;
    int _length;

    public NetlinkWriter(Span<byte> buffer, ushort type, ushort flags)
    {
        _buffer = buffer;
        var header = new NlMsgHdr { Type = type, Flags = (ushort)(flags | Rtnl.NLM_F_REQUEST) };
        MemoryMarshal.Write(Reserve(NlMsgHdr.Size), in header);
    }

    /// <summary>The fixed header of the message family (ifinfomsg, ifaddrmsg, rtmsg), or a struct inside an attribute.</summary>
    public void Write<T>(in T value) where T : unmanaged => MemoryMarshal.Write(Reserve(Unsafe.SizeOf<T>()), in value);

    public void Add(ushort type, scoped ReadOnlySpan<byte> value)
    {
        var attr = Reserve(4 + value.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(attr, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(attr[2..], type);
        value.CopyTo(attr[4..]);
    }

    public void AddUInt32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        Add(type, bytes);
    }

    /// <summary>A NUL-terminated string (link names, kinds).</summary>
    public void AddString(ushort type, string value)
    {
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(value.Length) + 1];
        int n = Encoding.UTF8.GetBytes(value, bytes);
        bytes[n] = 0;
        Add(type, bytes[..(n + 1)]);
    }

    public void AddAddress(ushort type, IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int n);
        Add(type, bytes[..n]);
    }

    /// <summary>Starts a nested attribute; returns where it starts, for <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        int start = _length;
        var attr = Reserve(4);
        BinaryPrimitives.WriteUInt16LittleEndian(attr[2..], type);
        return start;
    }

    public void EndNested(int start) => BinaryPrimitives.WriteUInt16LittleEndian(_buffer[start..], (ushort)(_length - start));

    /// <summary>The finished message, its sequence number stamped.</summary>
    public ReadOnlySpan<byte> Complete(uint seq)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer, (uint)_length);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer[8..], seq);
        return _buffer[.._length];
    }

    Span<byte> Reserve(int length)
    {
        int aligned = Rtnl.Align(length);
        if (_length + aligned > _buffer.Length)
            throw new InvalidOperationException($"netlink request larger than its {_buffer.Length}-byte buffer");
        var span = _buffer.Slice(_length, aligned);
        span.Clear();
        _length += aligned;
        return span[..length];
    }
}
