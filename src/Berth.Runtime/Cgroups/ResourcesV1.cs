using System.Globalization;
using Berth.Linux;
using Berth.Linux.Cgroups;
using Berth.Oci.Runtime;
using static Berth.Runtime.Cgroups.ResourceRequests;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// linux.resources for the cgroup v1 directories of a container, planned then written. The
/// constructor refuses, naming the field, whatever cannot be done here (a controller that is not
/// mounted, a file this kernel lacks, a value out of range) before anything is written;
/// <see cref="Write"/> then writes in runc's order, and reports what the kernel refuses.
/// </summary>
internal sealed partial class ResourcesV1
{
    readonly LinuxResources _r;
    readonly string? _memory, _cpu, _cpuset, _pids, _blkio, _hugetlb, _netCls, _netPrio, _rdma, _devices;
    readonly DeviceListV1? _deviceTarget;

    /// <param name="devices">Whether this plan owns the device policy (false when rootless, or on hybrid machines without a v1 devices hierarchy).</param>
    public ResourcesV1(IReadOnlyList<HierarchyDir> dirs, LinuxResources r, bool devices)
    {
        _r = r;
        string? Dir(string controller) => dirs.FirstOrDefault(d => d.Has(controller))?.Dir;
        if (r.Unified is { Count: > 0 })
            throw CgroupErrors.Unsupported("linux.resources.unified", "these are cgroup v2 files, and this machine has cgroup v1 for them");
        _memory = Need(Dir("memory"), HasWrites(r.Memory), MemoryRequest(r.Memory), "memory");
        _cpu = Need(Dir("cpu"), HasCpuWrites(r.Cpu), CpuRequest(r.Cpu), "cpu");
        _cpuset = Need(Dir("cpuset"), CpusetRequest(r.Cpu) is not null, CpusetRequest(r.Cpu), "cpuset");
        _pids = Need(Dir("pids"), r.Pids is not null, PidsRequest(r.Pids), "pids");
        _blkio = Need(Dir("blkio"), HasWrites(r.BlockIO), BlockIORequest(r.BlockIO), "blkio");
        _hugetlb = Need(Dir("hugetlb"), r.HugepageLimits is { Count: > 0 }, "linux.resources.hugepageLimits", "hugetlb");
        _netCls = Need(Dir("net_cls"), r.Network?.ClassId is not null, "linux.resources.network.classID", "net_cls");
        _netPrio = Need(Dir("net_prio"), r.Network?.Priorities is { Count: > 0 }, "linux.resources.network.priorities", "net_prio");
        _rdma = Need(Dir("rdma"), r.Rdma is { Count: > 0 }, "linux.resources.rdma", "rdma");
        if (devices)
        {
            _devices = Need(Dir("devices"), true, r.Devices is { Count: > 0 } ? "linux.resources.devices" : null, "devices");
            _deviceTarget = _devices is null ? null : DeviceRules.ForV1(r.Devices);
        }
        if (_memory is not null)
            CheckMemory(_memory, r.Memory!);
        if (_cpu is not null)
            CheckCpu(_cpu, r.Cpu!);
        if (_blkio is not null)
            CheckBlockIO(_blkio, r.BlockIO!);
        if (_hugetlb is not null)
            CheckHugepages(_hugetlb, r.HugepageLimits!, ".limit_in_bytes");
    }

    /// <summary>The directory to write to; null when nothing is asked, or only "no limit" and the controller is missing.</summary>
    static string? Need(string? dir, bool hasWrites, string? request, string controller)
    {
        if (!hasWrites || dir is not null)
            return hasWrites ? dir : null;
        if (request is not null)
            throw CgroupErrors.Unsupported(request, $"no cgroup v1 hierarchy with the {controller} controller is mounted");
        return null;
    }

    public void Write()
    {
        if (_cpuset is not null)
            WriteCpuset(_cpuset, _r.Cpu!);
        if (_devices is not null)
            WriteDevices(_devices, _deviceTarget!);
        if (_memory is not null)
            WriteMemory(_memory, _r.Memory!);
        if (_cpu is not null)
            WriteCpu(_cpu, _r.Cpu!);
        if (_pids is not null)
            CgroupErrors.Set("linux.resources.pids.limit", _pids, "pids.max", PidsMax(_r.Pids!));
        if (_blkio is not null)
            WriteBlockIO(_blkio, _r.BlockIO!);
        if (_hugetlb is not null)
            WriteHugepages(_hugetlb, _r.HugepageLimits!, ".limit_in_bytes", ".rsvd.limit_in_bytes");
        if (_netCls is not null)
            CgroupErrors.Set("linux.resources.network.classID", _netCls, "net_cls.classid", Text(_r.Network!.ClassId!.Value));
        if (_netPrio is not null)
        {
            var priorities = _r.Network!.Priorities!;
            for (int i = 0; i < priorities.Count; i++)
                CgroupErrors.Set($"linux.resources.network.priorities[{i}]", _netPrio, "net_prio.ifpriomap", $"{priorities[i].Name} {Text(priorities[i].Priority)}");
        }
        if (_rdma is not null)
            WriteRdma(_rdma, _r.Rdma!);
    }

    static void WriteCpuset(string dir, LinuxCpu c)
    {
        if (!string.IsNullOrEmpty(c.Cpus))
            CgroupErrors.Set("linux.resources.cpu.cpus", dir, "cpuset.cpus", c.Cpus);
        if (!string.IsNullOrEmpty(c.Mems))
            CgroupErrors.Set("linux.resources.cpu.mems", dir, "cpuset.mems", c.Mems);
    }

    static void WriteDevices(string dir, DeviceListV1 target)
    {
        try
        {
            DevicesV1.Apply(dir, target);
        }
        catch (LinuxException e)
        {
            throw CgroupErrors.From(e, "linux.resources.devices");
        }
        catch (InvalidOperationException e)
        {
            throw new RuntimeError(ErrorKind.Internal, $"linux.resources.devices: {e.Message}", e);
        }
    }

    internal static string PidsMax(LinuxPids p) => p.Limit > 0 ? Text(p.Limit) : "max";

    /// <summary>Each page size must have its file (hugetlb.2MB.limit_in_bytes / .max) in this kernel.</summary>
    internal static void CheckHugepages(string dir, List<LinuxHugepageLimit> limits, string suffix)
    {
        for (int i = 0; i < limits.Count; i++)
        {
            string size = limits[i].PageSize;
            string field = $"linux.resources.hugepageLimits[{i}].pageSize";
            if (size.Length < 3 || !size.EndsWith('B') || !char.IsAsciiDigit(size[0]) || !size[..^2].All(char.IsAsciiDigit) || "KMGTP".IndexOf(size[^2]) < 0)
                throw CgroupErrors.Invalid(field, $"\"{size}\" is not a page size such as 2MB or 1GB");
            if (!CgroupFiles.Exists(dir, $"hugetlb.{size}{suffix}"))
                throw CgroupErrors.Unsupported(field, $"this machine has no {size} huge pages (no hugetlb.{size}{suffix} in {dir})");
        }
    }

    internal static void WriteHugepages(string dir, List<LinuxHugepageLimit> limits, string suffix, string reservedSuffix)
    {
        for (int i = 0; i < limits.Count; i++)
        {
            string prefix = $"hugetlb.{limits[i].PageSize}";
            string value = Text(limits[i].Limit);
            CgroupErrors.Set($"linux.resources.hugepageLimits[{i}].limit", dir, prefix + suffix, value);
            if (CgroupFiles.Exists(dir, prefix + reservedSuffix))
                CgroupErrors.Set($"linux.resources.hugepageLimits[{i}].limit", dir, prefix + reservedSuffix, value);
        }
    }

    internal static void WriteRdma(string dir, Dictionary<string, LinuxRdma> rdma)
    {
        foreach (var (device, limits) in rdma.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var parts = new List<string> { device };
            if (limits.HcaHandles is { } handles)
                parts.Add($"hca_handle={Text(handles)}");
            if (limits.HcaObjects is { } objects)
                parts.Add($"hca_object={Text(objects)}");
            if (parts.Count > 1)
                CgroupErrors.Set($"linux.resources.rdma.{device}", dir, "rdma.max", string.Join(' ', parts));
        }
    }

    internal static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
