using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci.Json;

// linux.resources: also the whole document of `update -r`.
internal static partial class RuntimeSpecReader
{
    private static readonly JsonMembers ResourcesMembers = new(
        "devices", "memory", "cpu", "pids", "blockIO", "hugepageLimits", "network", "rdma", "unified");

    private static LinuxResources ReadResources(ref Utf8JsonReader reader)
    {
        LinuxResources resources = new();
        while (ResourcesMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "devices": resources.Devices = ReadList(ref reader, ReadDeviceCgroup); break;
                case "memory": resources.Memory = ReadObject(ref reader, ReadMemory); break;
                case "cpu": resources.Cpu = ReadObject(ref reader, ReadCpu); break;
                case "pids": resources.Pids = ReadObject(ref reader, ReadPids); break;
                case "blockIO": resources.BlockIO = ReadObject(ref reader, ReadBlockIO); break;
                case "hugepageLimits": resources.HugepageLimits = ReadList(ref reader, ReadHugepageLimit); break;
                case "network": resources.Network = ReadObject(ref reader, ReadNetwork); break;
                case "rdma": resources.Rdma = ReadMap(ref reader, ReadRdma); break;
                case "unified": resources.Unified = ReadStringMap(ref reader); break;
            }
        }
        return resources;
    }

    private static readonly JsonMembers DeviceCgroupMembers = new("allow", "type", "major", "minor", "access");

    private static LinuxDeviceCgroup ReadDeviceCgroup(ref Utf8JsonReader reader)
    {
        LinuxDeviceCgroup rule = new();
        while (DeviceCgroupMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "allow": rule.Allow = ReadBool(ref reader); break;
                case "type": rule.Type = ReadNullableString(ref reader); break;
                case "major": rule.Major = ReadNullableInt64(ref reader); break;
                case "minor": rule.Minor = ReadNullableInt64(ref reader); break;
                case "access": rule.Access = ReadNullableString(ref reader); break;
            }
        }
        return rule;
    }

    private static readonly JsonMembers MemoryMembers = new(
        "limit", "reservation", "swap", "kernel", "kernelTCP", "swappiness", "disableOOMKiller", "useHierarchy", "checkBeforeUpdate");

    private static LinuxMemory ReadMemory(ref Utf8JsonReader reader)
    {
        LinuxMemory memory = new();
        while (MemoryMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "limit": memory.Limit = ReadNullableInt64(ref reader); break;
                case "reservation": memory.Reservation = ReadNullableInt64(ref reader); break;
                case "swap": memory.Swap = ReadNullableInt64(ref reader); break;
                case "kernel": memory.Kernel = ReadNullableInt64(ref reader); break;
                case "kernelTCP": memory.KernelTcp = ReadNullableInt64(ref reader); break;
                case "swappiness": memory.Swappiness = ReadNullableUInt64(ref reader); break;
                case "disableOOMKiller": memory.DisableOomKiller = ReadNullableBool(ref reader); break;
                case "useHierarchy": memory.UseHierarchy = ReadNullableBool(ref reader); break;
                case "checkBeforeUpdate": memory.CheckBeforeUpdate = ReadNullableBool(ref reader); break;
            }
        }
        return memory;
    }

    private static readonly JsonMembers CpuMembers = new(
        "shares", "quota", "burst", "period", "realtimeRuntime", "realtimePeriod", "cpus", "mems", "idle");

    private static LinuxCpu ReadCpu(ref Utf8JsonReader reader)
    {
        LinuxCpu cpu = new();
        while (CpuMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "shares": cpu.Shares = ReadNullableUInt64(ref reader); break;
                case "quota": cpu.Quota = ReadNullableInt64(ref reader); break;
                case "burst": cpu.Burst = ReadNullableUInt64(ref reader); break;
                case "period": cpu.Period = ReadNullableUInt64(ref reader); break;
                case "realtimeRuntime": cpu.RealtimeRuntime = ReadNullableInt64(ref reader); break;
                case "realtimePeriod": cpu.RealtimePeriod = ReadNullableUInt64(ref reader); break;
                case "cpus": cpu.Cpus = ReadNullableString(ref reader); break;
                case "mems": cpu.Mems = ReadNullableString(ref reader); break;
                case "idle": cpu.Idle = ReadNullableInt64(ref reader); break;
            }
        }
        return cpu;
    }

    private static readonly JsonMembers PidsMembers = new("limit");

    private static LinuxPids ReadPids(ref Utf8JsonReader reader)
    {
        LinuxPids pids = new();
        while (PidsMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "limit": pids.Limit = ReadInt64(ref reader); break;
            }
        }
        return pids;
    }

    private static readonly JsonMembers BlockIOMembers = new(
        "weight", "leafWeight", "weightDevice", "throttleReadBpsDevice", "throttleWriteBpsDevice",
        "throttleReadIOPSDevice", "throttleWriteIOPSDevice");

    private static LinuxBlockIO ReadBlockIO(ref Utf8JsonReader reader)
    {
        LinuxBlockIO blockIO = new();
        while (BlockIOMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "weight": blockIO.Weight = ReadNullableUInt16(ref reader); break;
                case "leafWeight": blockIO.LeafWeight = ReadNullableUInt16(ref reader); break;
                case "weightDevice": blockIO.WeightDevice = ReadList(ref reader, ReadWeightDevice); break;
                case "throttleReadBpsDevice": blockIO.ThrottleReadBpsDevice = ReadList(ref reader, ReadThrottleDevice); break;
                case "throttleWriteBpsDevice": blockIO.ThrottleWriteBpsDevice = ReadList(ref reader, ReadThrottleDevice); break;
                case "throttleReadIOPSDevice": blockIO.ThrottleReadIopsDevice = ReadList(ref reader, ReadThrottleDevice); break;
                case "throttleWriteIOPSDevice": blockIO.ThrottleWriteIopsDevice = ReadList(ref reader, ReadThrottleDevice); break;
            }
        }
        return blockIO;
    }

    private static readonly JsonMembers WeightDeviceMembers = new("major", "minor", "weight", "leafWeight");

    private static LinuxWeightDevice ReadWeightDevice(ref Utf8JsonReader reader)
    {
        LinuxWeightDevice device = new();
        while (WeightDeviceMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "major": device.Major = ReadInt64(ref reader); break;
                case "minor": device.Minor = ReadInt64(ref reader); break;
                case "weight": device.Weight = ReadNullableUInt16(ref reader); break;
                case "leafWeight": device.LeafWeight = ReadNullableUInt16(ref reader); break;
            }
        }
        return device;
    }

    private static readonly JsonMembers ThrottleDeviceMembers = new("major", "minor", "rate");

    private static LinuxThrottleDevice ReadThrottleDevice(ref Utf8JsonReader reader)
    {
        LinuxThrottleDevice device = new();
        while (ThrottleDeviceMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "major": device.Major = ReadInt64(ref reader); break;
                case "minor": device.Minor = ReadInt64(ref reader); break;
                case "rate": device.Rate = ReadUInt64(ref reader); break;
            }
        }
        return device;
    }

    private static readonly JsonMembers HugepageLimitMembers = new("pageSize", "limit");

    private static LinuxHugepageLimit ReadHugepageLimit(ref Utf8JsonReader reader)
    {
        LinuxHugepageLimit limit = new();
        while (HugepageLimitMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "pageSize": limit.PageSize = ReadString(ref reader); break;
                case "limit": limit.Limit = ReadUInt64(ref reader); break;
            }
        }
        return limit;
    }

    private static readonly JsonMembers NetworkMembers = new("classID", "priorities");

    private static LinuxNetwork ReadNetwork(ref Utf8JsonReader reader)
    {
        LinuxNetwork network = new();
        while (NetworkMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "classID": network.ClassId = ReadNullableUInt32(ref reader); break;
                case "priorities": network.Priorities = ReadList(ref reader, ReadInterfacePriority); break;
            }
        }
        return network;
    }

    private static readonly JsonMembers InterfacePriorityMembers = new("name", "priority");

    private static LinuxInterfacePriority ReadInterfacePriority(ref Utf8JsonReader reader)
    {
        LinuxInterfacePriority priority = new();
        while (InterfacePriorityMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "name": priority.Name = ReadString(ref reader); break;
                case "priority": priority.Priority = ReadUInt32(ref reader); break;
            }
        }
        return priority;
    }

    private static readonly JsonMembers RdmaMembers = new("hcaHandles", "hcaObjects");

    private static LinuxRdma ReadRdma(ref Utf8JsonReader reader)
    {
        LinuxRdma rdma = new();
        while (RdmaMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "hcaHandles": rdma.HcaHandles = ReadNullableUInt32(ref reader); break;
                case "hcaObjects": rdma.HcaObjects = ReadNullableUInt32(ref reader); break;
            }
        }
        return rdma;
    }
}
