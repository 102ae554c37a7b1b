using System.Buffers.Binary;
using System.Text;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Init;

/// <summary>
/// Frame types on the init pipe. The first group must agree with the enums in native/nsenter.c;
/// the second is spoken between the runtime and the C# side of the container's init.
/// </summary>
public enum Frame : uint
{
    // runtime -> nsenter.c
    BootCloneFlags = 1,
    BootNamespacePath = 2,
    BootTimensOffsets = 3,
    BootOomScoreAdj = 4,
    BootCgroupTasks = 5,
    BootCgroupV2 = 6,
    BootEnd = 255,

    // nsenter.c -> runtime
    UsermapPlease = 0x40,
    UsermapAck = 0x41,
    ChildPid = 0x42,
    Error = 0x4f,

    // runtime <-> init (C#)
    InitConfig = 0x50,
    CreateRuntimeHooks = 0x51,
    CreateRuntimeHooksDone = 0x52,
    Ready = 0x53,

    // init -> runtime: the seccomp notify fd follows as SCM_RIGHTS on one byte; the runtime
    // hands it to linux.seccomp.listenerPath and answers SeccompNotifyFdDone.
    SeccompNotifyFd = 0x54,
    SeccompNotifyFdDone = 0x55,

    // runtime -> init, after InitConfig: the raw config.json, then (exec) the raw process JSON.
    InitSpec = 0x56,
    InitProcess = 0x57,

    // runtime -> init, last: the seccomp filter compiled to BPF (SeccompProgram), when the config says one follows.
    InitSeccompProgram = 0x58,
}

/// <summary>A framed message stream over the init socket: u32 type, u32 length, payload.</summary>
public sealed class InitChannel(SafeFileHandle socket) : IDisposable
{
    public SafeFileHandle Socket { get; } = socket;

    public void Send(Frame type, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)type);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)payload.Length);
        var buffer = new byte[8 + payload.Length];
        header.CopyTo(buffer);
        payload.CopyTo(buffer.AsSpan(8));
        Files.WriteAll(Socket, buffer);
    }

    public void Send(Frame type, string text) => Send(type, Encoding.UTF8.GetBytes(text));

    public void Send(Frame type, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        Send(type, b);
    }

    public void Send(Frame type) => Send(type, ReadOnlySpan<byte>.Empty);

    /// <summary>Sends a frame announcing a descriptor, then the descriptor itself (on one byte, SCM_RIGHTS).</summary>
    public void SendDescriptor(Frame type, SafeFileHandle fd)
    {
        Send(type);
        UnixSockets.SendFds(Socket, [0], [(int)fd.DangerousGetHandle()]);
    }

    /// <summary>Receives the descriptor that follows a frame sent by <see cref="SendDescriptor"/>.</summary>
    public SafeFileHandle ReceiveDescriptor()
    {
        var (_, fds) = UnixSockets.ReceiveFds(Socket, maxPayload: 1, maxFds: 1);
        return fds.Length == 1 ? fds[0] : throw new InvalidDataException("init pipe: a descriptor was announced but none arrived");
    }

    /// <summary>The next frame; null at end of stream (the peer closed or died).</summary>
    public (Frame Type, byte[] Payload)? Receive()
    {
        Span<byte> header = stackalloc byte[8];
        if (!ReadExactly(header))
            return null;
        var type = (Frame)BinaryPrimitives.ReadUInt32LittleEndian(header);
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (length < 0 || length > 64 << 20)
            throw new InvalidDataException($"init pipe: frame {type} of {length} bytes");
        var payload = new byte[length];
        if (!ReadExactly(payload))
            return null;
        return (type, payload);
    }

    public static int ReadInt32(byte[] payload) => BinaryPrimitives.ReadInt32LittleEndian(payload);

    bool ReadExactly(Span<byte> buffer)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n;
            try
            {
                n = Files.Read(Socket, buffer[done..]);
            }
            catch (LinuxException e) when (e.Errno == Errno.ECONNRESET) // the peer died with data unread
            {
                return false;
            }
            if (n == 0)
                return false;
            done += n;
        }
        return true;
    }

    public void Dispose() => Socket.Dispose();
}
