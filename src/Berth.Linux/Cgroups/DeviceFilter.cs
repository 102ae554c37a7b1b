namespace Berth.Linux.Cgroups;

/// <summary>
/// cgroup v2's device controller: an eBPF program attached to the cgroup directory
/// (BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI). Installing a new policy replaces the old program
/// without a moment in which none is attached.
/// </summary>
public static class DeviceFilter
{
    const string ProgramName = "berth_devices";

    /// <summary>
    /// Loads the program for <paramref name="rules"/> (see <see cref="DeviceFilterProgram"/>), attaches it
    /// to <paramref name="cgroupDir"/>, and detaches the programs that were attached before: with
    /// BPF_F_REPLACE when there was one, else after the new one is in place (while both are
    /// attached, a device must be allowed by both).
    /// </summary>
    public static void Install(string cgroupDir, IReadOnlyList<DeviceRule> rules)
    {
        var program = DeviceFilterProgram.Emit(rules);
        using var cgroup = Files.Open(cgroupDir, OpenFlags.ReadOnly | OpenFlags.Directory);
        var (old, _) = Bpf.Query(cgroup, Bpf.AttachCgroupDevice);
        using var loaded = Bpf.LoadProgram(Bpf.ProgramTypeCgroupDevice, program, DeviceFilterProgram.License, ProgramName);
        if (old.Length == 1)
        {
            using var previous = Bpf.ProgramById(old[0]);
            if (previous is not null)
            {
                int errno = Bpf.TryAttach(cgroup, loaded, Bpf.AttachCgroupDevice, Bpf.AllowMulti | Bpf.Replace, previous);
                if (errno == 0)
                    return;
                // EINVAL: a kernel before 5.6 without BPF_F_REPLACE; ENOENT: the old one went away meanwhile.
                if (errno is not (Errno.EINVAL or Errno.ENOENT))
                    throw new LinuxException(errno, $"bpf attach device filter to {cgroupDir}");
            }
        }
        int attached = Bpf.TryAttach(cgroup, loaded, Bpf.AttachCgroupDevice, Bpf.AllowMulti);
        if (attached != 0)
            throw new LinuxException(attached, $"bpf attach device filter to {cgroupDir}");
        foreach (uint id in old)
        {
            using var previous = Bpf.ProgramById(id);
            if (previous is null)
                continue;
            int errno = Bpf.TryDetach(cgroup, previous, Bpf.AttachCgroupDevice);
            if (errno is not (0 or Errno.ENOENT))
                throw new LinuxException(errno, $"bpf detach old device filter {id} from {cgroupDir}");
        }
    }

    /// <summary>The ids of the device programs attached directly to the cgroup.</summary>
    public static uint[] Attached(string cgroupDir)
    {
        using var cgroup = Files.Open(cgroupDir, OpenFlags.ReadOnly | OpenFlags.Directory);
        return Bpf.Query(cgroup, Bpf.AttachCgroupDevice).Ids;
    }
}
