using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux.Cgroups;

/// <summary>
/// The bpf(2) commands a cgroup device filter needs: load a program, attach it to a cgroup
/// directory, list and detach what is attached. Every failure names the command and the errno.
/// </summary>
public static unsafe class Bpf
{
    const int CmdProgLoad = 5, CmdProgAttach = 8, CmdProgDetach = 9, CmdProgGetFdById = 13, CmdProgQuery = 16;

    /// <summary>BPF_PROG_TYPE_CGROUP_DEVICE.</summary>
    public const int ProgramTypeCgroupDevice = 15;

    /// <summary>BPF_CGROUP_DEVICE.</summary>
    public const int AttachCgroupDevice = 6;

    /// <summary>BPF_F_ALLOW_MULTI: several programs on one cgroup, all of which must allow.</summary>
    public const uint AllowMulti = 2;

    /// <summary>BPF_F_REPLACE: swap the program given by replace_bpf_fd for the new one, atomically.</summary>
    public const uint Replace = 4;

    // union bpf_attr is larger in newer kernels; the tail past what a kernel knows must be zero.
    const int AttrSize = 128;

    /// <summary>BPF_PROG_LOAD. On a verifier refusal the error carries the end of the verifier's log.</summary>
    public static SafeFileHandle LoadProgram(int programType, ReadOnlySpan<BpfInstruction> instructions, string license, string name)
    {
        byte[] licenseZ = Encoding.ASCII.GetBytes(license + "\0");
        byte[] nameBytes = Encoding.ASCII.GetBytes(name);
        fixed (BpfInstruction* insns = instructions)
        fixed (byte* lic = licenseZ)
        {
            byte* attr = stackalloc byte[AttrSize];
            new Span<byte>(attr, AttrSize).Clear();
            *(uint*)(attr + 0) = (uint)programType;
            *(uint*)(attr + 4) = (uint)instructions.Length;
            *(ulong*)(attr + 8) = (ulong)insns;
            *(ulong*)(attr + 16) = (ulong)lic;
            nameBytes.AsSpan(0, Math.Min(nameBytes.Length, 15)).CopyTo(new Span<byte>(attr + 48, 16));
            long fd = CgroupNative.bpf(CmdProgLoad, attr, AttrSize);
            if (fd >= 0)
                return new SafeFileHandle((nint)fd, true);
            int errno = Marshal.GetLastPInvokeError();
            if (errno is not (Errno.EINVAL or Errno.EACCES))
                throw new LinuxException(errno, $"bpf load program {name}");
            // Again with the verifier's log, to say why.
            const int logSize = 1 << 16;
            byte[] log = new byte[logSize];
            fixed (byte* logBuffer = log)
            {
                *(uint*)(attr + 24) = 1;
                *(uint*)(attr + 28) = logSize;
                *(ulong*)(attr + 32) = (ulong)logBuffer;
                fd = CgroupNative.bpf(CmdProgLoad, attr, AttrSize);
                if (fd >= 0)
                    return new SafeFileHandle((nint)fd, true);
                errno = Marshal.GetLastPInvokeError();
            }
            int end = Array.IndexOf(log, (byte)0);
            string text = Encoding.UTF8.GetString(log, 0, end < 0 ? log.Length : end).Trim();
            var lines = text.Split('\n');
            string tail = string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - 4)));
            throw new LinuxException(errno, $"bpf load program {name} (verifier: {tail})");
        }
    }

    /// <summary>BPF_PROG_ATTACH; returns the errno, 0 on success.</summary>
    public static int TryAttach(SafeFileHandle cgroup, SafeFileHandle program, int attachType, uint flags, SafeFileHandle? replace = null)
    {
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)(attr + 0) = (uint)cgroup.DangerousGetHandle();
        *(uint*)(attr + 4) = (uint)program.DangerousGetHandle();
        *(uint*)(attr + 8) = (uint)attachType;
        *(uint*)(attr + 12) = flags;
        if (replace is not null)
            *(uint*)(attr + 16) = (uint)replace.DangerousGetHandle();
        return CgroupNative.bpf(CmdProgAttach, attr, AttrSize) < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>BPF_PROG_DETACH of one program; returns the errno, 0 on success.</summary>
    public static int TryDetach(SafeFileHandle cgroup, SafeFileHandle program, int attachType)
    {
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)(attr + 0) = (uint)cgroup.DangerousGetHandle();
        *(uint*)(attr + 4) = (uint)program.DangerousGetHandle();
        *(uint*)(attr + 8) = (uint)attachType;
        return CgroupNative.bpf(CmdProgDetach, attr, AttrSize) < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>BPF_PROG_QUERY: the ids of the programs attached directly to the cgroup, and the attach flags.</summary>
    public static (uint[] Ids, uint Flags) Query(SafeFileHandle cgroup, int attachType)
    {
        for (int capacity = 16; ; capacity *= 4)
        {
            uint[] ids = new uint[capacity];
            fixed (uint* p = ids)
            {
                byte* attr = stackalloc byte[AttrSize];
                new Span<byte>(attr, AttrSize).Clear();
                *(uint*)(attr + 0) = (uint)cgroup.DangerousGetHandle();
                *(uint*)(attr + 4) = (uint)attachType;
                *(ulong*)(attr + 16) = (ulong)p;
                *(uint*)(attr + 24) = (uint)capacity;
                if (CgroupNative.bpf(CmdProgQuery, attr, AttrSize) < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Errno.ENOSPC && capacity < 65536)
                        continue;
                    throw new LinuxException(errno, "bpf query cgroup programs");
                }
                uint count = *(uint*)(attr + 24);
                return (ids.AsSpan(0, (int)Math.Min(count, (uint)capacity)).ToArray(), *(uint*)(attr + 12));
            }
        }
    }

    /// <summary>BPF_PROG_GET_FD_BY_ID; null when no program has the id (any more).</summary>
    public static SafeFileHandle? ProgramById(uint id)
    {
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)(attr + 0) = id;
        long fd = CgroupNative.bpf(CmdProgGetFdById, attr, AttrSize);
        if (fd >= 0)
            return new SafeFileHandle((nint)fd, true);
        int errno = Marshal.GetLastPInvokeError();
        if (errno == Errno.ENOENT)
            return null;
        throw new LinuxException(errno, $"bpf get program {id}");
    }
}
