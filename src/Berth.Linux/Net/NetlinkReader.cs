using System.Buffers.Binary;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Berth.Linux.Net;

/// <summary>One message of a datagram from the kernel: its header fields and what follows the nlmsghdr.</summary>
internal readonly ref struct NetlinkMessage
{
    public NetlinkMessage(ushort type, ushort flags, uint seq, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Flags = flags;
        Seq = seq;
        Payload = payload;
    }

    public ushort Type { get; }

    public ushort Flags { get; }

    public uint Seq { get; }

    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The family header at the start of the payload (ifinfomsg, ifaddrmsg, rtmsg).</summary>
    public T Header<T>() where T : unmanaged
    {
        if (Payload.Length < Unsafe.SizeOf<T>())
            throw new InvalidDataException($"netlink message of type {Type} shorter than its header");
        return MemoryMarshal.Read<T>(Payload);
    }

    /// <summary>The attributes after a family header of <paramref name="headerSize"/> bytes.</summary>
    public NetlinkAttributes Attributes(int headerSize) =>
        new(Payload.Length > headerSize ? Payload[Rtnl.Align(headerSize)..] : default);
}

/// <summary>The messages of one datagram; stops at the first malformed length rather than reading past it.</summary>
internal ref struct NetlinkMessages
{
    ReadOnlySpan<byte> _rest;

    public NetlinkMessages(ReadOnlySpan<byte> datagram)
    {
        _rest = datagram;
        Current = default;
    }

    public NetlinkMessage Current { get; private set; }

    public readonly NetlinkMessages GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_rest.Length < NlMsgHdr.Size)
            return false;
        var header = MemoryMarshal.Read<NlMsgHdr>(_rest);
        if (header.Length < NlMsgHdr.Size || header.Length > _rest.Length)
            return false;
        Current = new NetlinkMessage(header.Type, header.Flags, header.Seq, _rest[NlMsgHdr.Size..(int)header.Length]);
        _rest = _rest[Math.Min(Rtnl.Align((int)header.Length), _rest.Length)..];
        return true;
    }
}

/// <summary>A run of netlink attributes (struct nlattr + value, each padded to 4 bytes), walked with MoveNext.</summary>
internal ref struct NetlinkAttributes
{
    ReadOnlySpan<byte> _rest;

    public NetlinkAttributes(ReadOnlySpan<byte> attributes)
    {
        _rest = attributes;
        Type = 0;
        Value = default;
    }

    /// <summary>The type of the current attribute, flags masked off.</summary>
    public ushort Type { get; private set; }

    public ReadOnlySpan<byte> Value { get; private set; }

    public bool MoveNext()
    {
        if (_rest.Length < 4)
            return false;
        int length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (length < 4 || length > _rest.Length)
            return false;
        Type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & Rtnl.NLA_TYPE_MASK);
        Value = _rest[4..length];
        _rest = _rest[Math.Min(Rtnl.Align(length), _rest.Length)..];
        return true;
    }

    public readonly uint UInt32 => Value.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Value) : 0;

    public readonly ulong UInt64At(int index) =>
        Value.Length >= (index + 1) * 8 ? BinaryPrimitives.ReadUInt64LittleEndian(Value[(index * 8)..]) : 0;

    /// <summary>A NUL-terminated string attribute.</summary>
    public readonly string String
    {
        get
        {
            int end = Value.IndexOf((byte)0);
            return Encoding.UTF8.GetString(end >= 0 ? Value[..end] : Value);
        }
    }

    public readonly IPAddress Address => new(Value);

    public readonly NetlinkAttributes Nested => new(Value);
}
