using Berth.Linux;
using Berth.Linux.Cgroups;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups;

internal sealed partial class ResourcesV1
{
    const string Limit = "memory.limit_in_bytes", MemSwLimit = "memory.memsw.limit_in_bytes";

    static void CheckMemory(string dir, LinuxMemory m)
    {
        CheckMemoryValues(m);
        if (m.Swap > 0 && !CgroupFiles.Exists(dir, MemSwLimit))
            throw CgroupErrors.Unsupported("linux.resources.memory.swap", $"swap accounting is off in this kernel (no {MemSwLimit} in {dir}; boot with swapaccount=1)");
    }

    /// <summary>Checks shared by v1 and v2: swappiness 0..100, memory+swap not below memory.</summary>
    internal static void CheckMemoryValues(LinuxMemory m)
    {
        if (m.Swappiness is { } s && s != ResourceRequests.SwappinessUnset && s > 100)
            throw CgroupErrors.Invalid("linux.resources.memory.swappiness", $"{s} is not in 0-100");
        if (m.Swap > 0 && m.Limit > 0 && m.Swap < m.Limit)
            throw CgroupErrors.Invalid("linux.resources.memory.swap", $"the memory+swap limit {m.Swap} is below the memory limit {m.Limit}");
        if (m.Swap > 0 && m.Limit is null or 0 or -1)
            throw CgroupErrors.Invalid("linux.resources.memory.swap", "a swap limit needs a memory limit");
    }

    /// <summary>
    /// runc's order: memory.limit_in_bytes may never exceed memory.memsw.limit_in_bytes, so when
    /// both change, the one that keeps that true is written first.
    /// </summary>
    static void WriteMemory(string dir, LinuxMemory m)
    {
        long limit = m.Limit ?? 0, swap = m.Swap ?? 0;
        bool hasMemSw = CgroupFiles.Exists(dir, MemSwLimit);
        // Unlimited memory with swap unset means unlimited swap too.
        if (limit == -1 && swap == 0 && hasMemSw)
            swap = -1;
        if (swap == -1 && !hasMemSw)
            swap = 0;
        if (limit != 0 && swap != 0 && (swap == -1 || CgroupFiles.ReadUInt64(dir, Limit) < (ulong)swap))
        {
            WriteSwap(dir, swap);
            WriteLimit(dir, limit);
        }
        else
        {
            WriteLimit(dir, limit);
            WriteSwap(dir, swap);
        }
        if (m.Reservation is { } reservation and not 0)
            CgroupErrors.Set("linux.resources.memory.reservation", dir, "memory.soft_limit_in_bytes", Text(reservation));
        WriteKernelLimit(dir, "linux.resources.memory.kernel", "memory.kmem.limit_in_bytes", m.Kernel);
        WriteKernelLimit(dir, "linux.resources.memory.kernelTCP", "memory.kmem.tcp.limit_in_bytes", m.KernelTcp);
        if (m.Swappiness is { } swappiness && swappiness != ResourceRequests.SwappinessUnset)
            CgroupErrors.Set("linux.resources.memory.swappiness", dir, "memory.swappiness", Text(swappiness));
        if (m.DisableOomKiller is { } disable)
            CgroupErrors.Set("linux.resources.memory.disableOOMKiller", dir, "memory.oom_control", disable ? "1" : "0");
    }

    static void WriteLimit(string dir, long limit)
    {
        if (limit == 0)
            return;
        int errno = CgroupFiles.TryWrite(dir, Limit, Text(limit));
        if (errno == 0)
            return;
        string? detail = null;
        if (errno == Errno.EBUSY)
        {
            CgroupFiles.TryRead(dir, "memory.usage_in_bytes", out string usage);
            CgroupFiles.TryRead(dir, "memory.max_usage_in_bytes", out string peak);
            detail = $"the container uses {usage.Trim()} bytes now, {peak.Trim()} at most so far: the kernel cannot reclaim down to the new limit";
        }
        throw CgroupErrors.Write("linux.resources.memory.limit", dir, Limit, Text(limit), errno, detail);
    }

    static void WriteSwap(string dir, long swap)
    {
        if (swap != 0)
            CgroupErrors.Set("linux.resources.memory.swap", dir, MemSwLimit, Text(swap));
    }

    /// <summary>Kernel memory limits are gone from new kernels: a missing or refused file (EOPNOTSUPP) is ignored, as runc does.</summary>
    static void WriteKernelLimit(string dir, string field, string file, long? value)
    {
        if (value is null or 0 || !CgroupFiles.Exists(dir, file))
            return;
        int errno = CgroupFiles.TryWrite(dir, file, Text(value.Value));
        if (errno is not (0 or Errno.EOPNOTSUPP or Errno.ENOENT))
            throw CgroupErrors.Write(field, dir, file, Text(value.Value), errno);
    }
}
