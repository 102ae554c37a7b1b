using System.Buffers.Binary;
using Berth.Linux;
using Berth.Linux.Seccomp;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// A seccomp filter compiled to BPF (<see cref="SeccompFilter.Compile"/>) in the runtime process, for the container's
/// init to install with one seccomp(2) call. libseccomp's build of a long profile (Docker's default: ~12 ms on a small
/// machine) then happens at most once per profile (<see cref="SeccompProgramCache"/>) instead of in every create and
/// again in every init. <see cref="Flags"/> are the <c>SECCOMP_FILTER_FLAG_*</c> that libseccomp would have passed.
/// </summary>
internal sealed class SeccompProgram(byte[] filter, uint flags)
{
    public byte[] Filter { get; } = filter;

    public uint Flags { get; } = flags;

    /// <summary>Installs the filter into the calling thread (every thread with TSYNC), as <c>seccomp_load</c> would.</summary>
    public void Install()
    {
        try
        {
            SeccompKernel.InstallFilter(Filter, Flags);
        }
        catch (LinuxException e)
        {
            throw new RuntimeError(ErrorKind.Internal, $"linux.seccomp: load the filter: {LinuxException.Describe(e.Errno)}", e);
        }
    }

    /// <summary>The program as bytes: the flags (u32, little-endian), then the BPF instructions.</summary>
    public byte[] Serialize()
    {
        var bytes = new byte[4 + Filter.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Flags);
        Filter.CopyTo(bytes.AsSpan(4));
        return bytes;
    }

    /// <summary>Reads <see cref="Serialize"/>'s bytes; null when they cannot be a program (truncated, not whole instructions).</summary>
    public static SeccompProgram? Deserialize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= 4 || (bytes.Length - 4) % 8 != 0)
            return null;
        return new SeccompProgram(bytes[4..].ToArray(), BinaryPrimitives.ReadUInt32LittleEndian(bytes));
    }
}
