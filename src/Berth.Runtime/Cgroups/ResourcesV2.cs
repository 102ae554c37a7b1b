using Berth.Linux;
using Berth.Linux.Cgroups;
using Berth.Oci.Runtime;
using static Berth.Runtime.Cgroups.ResourceRequests;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// linux.resources for a container's cgroup v2 directory, planned then written, as
/// <see cref="ResourcesV1"/>. Each part needs its controller in the directory's cgroup.controllers
/// (see <see cref="V2Controllers"/>); v1-only settings (swappiness, disableOOMKiller, realtime,
/// net_cls/net_prio, leaf weights) are refused unless unset. On a hybrid machine the plan gets only
/// the parts whose controllers no v1 hierarchy has, and unified keys of v1 controllers are refused.
/// </summary>
internal sealed partial class ResourcesV2
{
    readonly string _dir;
    readonly LinuxResources _r;
    readonly bool _memory, _cpu, _cpuset, _pids, _io, _hugetlb, _rdma;
    readonly List<DeviceRule>? _devices;

    /// <param name="v1Controllers">Controllers of the machine's v1 hierarchies (hybrid), none on a v2 machine.</param>
    /// <param name="devices">Whether this plan owns the device policy.</param>
    public ResourcesV2(string dir, V2Controllers controllers, IReadOnlyCollection<string> v1Controllers, LinuxResources r, bool devices)
    {
        _dir = dir;
        _r = r;
        if (HasNetwork(r.Network))
            throw CgroupErrors.Unsupported("linux.resources.network", "net_cls and net_prio are cgroup v1 controllers, and cgroup v2 has none like them");
        if (r.Memory is { } m)
            CheckMemory(m);
        if (r.Cpu is { } c)
            CheckCpu(c);
        if (r.BlockIO is { } b)
            CheckBlockIO(b);
        _memory = Need(controllers, "memory", HasWrites(r.Memory), MemoryRequest(r.Memory));
        _cpu = Need(controllers, "cpu", HasCpuWrites(r.Cpu), CpuRequest(r.Cpu));
        _cpuset = Need(controllers, "cpuset", CpusetRequest(r.Cpu) is not null, CpusetRequest(r.Cpu));
        _pids = Need(controllers, "pids", r.Pids is not null, PidsRequest(r.Pids));
        _io = Need(controllers, "io", HasWrites(r.BlockIO), BlockIORequest(r.BlockIO));
        _hugetlb = Need(controllers, "hugetlb", r.HugepageLimits is { Count: > 0 }, "linux.resources.hugepageLimits");
        _rdma = Need(controllers, "rdma", r.Rdma is { Count: > 0 }, "linux.resources.rdma");
        if (_hugetlb)
            ResourcesV1.CheckHugepages(dir, r.HugepageLimits!, ".max");
        if (_io)
            CheckWeightFiles(dir, r.BlockIO!);
        if (r.Unified is { Count: > 0 })
            CheckUnified(controllers, v1Controllers, r.Unified);
        if (devices)
            _devices = DeviceRules.Effective(r.Devices);
    }

    /// <summary>Whether to write the part: its controller is (made) available; a request without it is refused.</summary>
    static bool Need(V2Controllers controllers, string controller, bool hasWrites, string? request)
    {
        if (!hasWrites)
            return false;
        string? missing = controllers.Enable(controller);
        if (missing is null)
            return true;
        if (request is not null)
            throw CgroupErrors.Unsupported(request, missing);
        return false;
    }

    public void Write()
    {
        if (_devices is not null)
        {
            try
            {
                DeviceFilter.Install(_dir, _devices);
            }
            catch (LinuxException e)
            {
                throw CgroupErrors.From(e, "linux.resources.devices");
            }
        }
        if (_memory)
            WriteMemory(_r.Memory!);
        if (_cpuset)
        {
            if (!string.IsNullOrEmpty(_r.Cpu!.Cpus))
                CgroupErrors.Set("linux.resources.cpu.cpus", _dir, "cpuset.cpus", _r.Cpu.Cpus);
            if (!string.IsNullOrEmpty(_r.Cpu.Mems))
                CgroupErrors.Set("linux.resources.cpu.mems", _dir, "cpuset.mems", _r.Cpu.Mems);
        }
        if (_cpu)
            WriteCpu(_r.Cpu!);
        if (_pids)
            CgroupErrors.Set("linux.resources.pids.limit", _dir, "pids.max", ResourcesV1.PidsMax(_r.Pids!));
        if (_io)
            WriteIo(_r.BlockIO!);
        if (_hugetlb)
            ResourcesV1.WriteHugepages(_dir, _r.HugepageLimits!, ".max", ".rsvd.max");
        if (_rdma)
            ResourcesV1.WriteRdma(_dir, _r.Rdma!);
        if (_r.Unified is { Count: > 0 })
            WriteUnified(_r.Unified);
    }

    void CheckUnified(V2Controllers controllers, IReadOnlyCollection<string> v1Controllers, Dictionary<string, string> unified)
    {
        foreach (var key in unified.Keys.Order(StringComparer.Ordinal))
        {
            string field = $"linux.resources.unified.{key}";
            int dot = key.IndexOf('.');
            if (key.Contains('/') || key is "." or ".." || dot <= 0 || dot == key.Length - 1)
                throw CgroupErrors.Invalid(field, "a key must be a file name of the form CONTROLLER.PARAMETER");
            string controller = key[..dot];
            if (v1Controllers.Contains(controller))
                throw CgroupErrors.Unsupported(field, $"the {controller} controller is on cgroup v1 on this machine; set it with the v1 fields of linux.resources");
            if (controller != "cgroup" && controllers.Enable(controller) is { } missing && !CgroupFiles.Exists(_dir, key))
                throw CgroupErrors.Unsupported(field, missing);
        }
    }

    /// <summary>Each key verbatim, one write per line of the value, after the typed settings (so it overrides them).</summary>
    void WriteUnified(Dictionary<string, string> unified)
    {
        foreach (var (key, value) in unified.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var lines = value.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var line in lines.Length == 0 ? [value] : lines)
                CgroupErrors.Set($"linux.resources.unified.{key}", _dir, key, line);
        }
    }
}
