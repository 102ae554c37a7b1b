using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci.Json;

// linux.resources: also the whole document of `update -r`.
internal static partial class OciWriter
{
    public static void Write(Utf8JsonWriter writer, LinuxResources? resources) => Element(writer, resources, Members);

    private static void Members(Utf8JsonWriter writer, LinuxResources resources)
    {
        List(writer, "devices"u8, resources.Devices, Members);
        Object(writer, "memory"u8, resources.Memory, Members);
        Object(writer, "cpu"u8, resources.Cpu, Members);
        Object(writer, "pids"u8, resources.Pids, Members);
        Object(writer, "blockIO"u8, resources.BlockIO, Members);
        List(writer, "hugepageLimits"u8, resources.HugepageLimits, Members);
        Object(writer, "network"u8, resources.Network, Members);
        Map(writer, "rdma"u8, resources.Rdma, Members);
        StringMap(writer, "unified"u8, resources.Unified);
    }

    private static void Members(Utf8JsonWriter writer, LinuxDeviceCgroup rule)
    {
        writer.WriteBoolean("allow"u8, rule.Allow);
        String(writer, "type"u8, rule.Type);
        Number(writer, "major"u8, rule.Major);
        Number(writer, "minor"u8, rule.Minor);
        String(writer, "access"u8, rule.Access);
    }

    private static void Members(Utf8JsonWriter writer, LinuxMemory memory)
    {
        Number(writer, "limit"u8, memory.Limit);
        Number(writer, "reservation"u8, memory.Reservation);
        Number(writer, "swap"u8, memory.Swap);
        Number(writer, "kernel"u8, memory.Kernel);
        Number(writer, "kernelTCP"u8, memory.KernelTcp);
        Number(writer, "swappiness"u8, memory.Swappiness);
        Boolean(writer, "disableOOMKiller"u8, memory.DisableOomKiller);
        Boolean(writer, "useHierarchy"u8, memory.UseHierarchy);
        Boolean(writer, "checkBeforeUpdate"u8, memory.CheckBeforeUpdate);
    }

    private static void Members(Utf8JsonWriter writer, LinuxCpu cpu)
    {
        Number(writer, "shares"u8, cpu.Shares);
        Number(writer, "quota"u8, cpu.Quota);
        Number(writer, "burst"u8, cpu.Burst);
        Number(writer, "period"u8, cpu.Period);
        Number(writer, "realtimeRuntime"u8, cpu.RealtimeRuntime);
        Number(writer, "realtimePeriod"u8, cpu.RealtimePeriod);
        String(writer, "cpus"u8, cpu.Cpus);
        String(writer, "mems"u8, cpu.Mems);
        Number(writer, "idle"u8, cpu.Idle);
    }

    private static void Members(Utf8JsonWriter writer, LinuxPids pids)
    {
        writer.WriteNumber("limit"u8, pids.Limit);
    }

    private static void Members(Utf8JsonWriter writer, LinuxBlockIO blockIO)
    {
        Number(writer, "weight"u8, blockIO.Weight);
        Number(writer, "leafWeight"u8, blockIO.LeafWeight);
        List(writer, "weightDevice"u8, blockIO.WeightDevice, Members);
        List(writer, "throttleReadBpsDevice"u8, blockIO.ThrottleReadBpsDevice, Members);
        List(writer, "throttleWriteBpsDevice"u8, blockIO.ThrottleWriteBpsDevice, Members);
        List(writer, "throttleReadIOPSDevice"u8, blockIO.ThrottleReadIopsDevice, Members);
        List(writer, "throttleWriteIOPSDevice"u8, blockIO.ThrottleWriteIopsDevice, Members);
    }

    private static void Members(Utf8JsonWriter writer, LinuxWeightDevice device)
    {
        writer.WriteNumber("major"u8, device.Major);
        writer.WriteNumber("minor"u8, device.Minor);
        Number(writer, "weight"u8, device.Weight);
        Number(writer, "leafWeight"u8, device.LeafWeight);
    }

    private static void Members(Utf8JsonWriter writer, LinuxThrottleDevice device)
    {
        writer.WriteNumber("major"u8, device.Major);
        writer.WriteNumber("minor"u8, device.Minor);
        writer.WriteNumber("rate"u8, device.Rate);
    }

    private static void Members(Utf8JsonWriter writer, LinuxHugepageLimit limit)
    {
        String(writer, "pageSize"u8, limit.PageSize);
        writer.WriteNumber("limit"u8, limit.Limit);
    }

    private static void Members(Utf8JsonWriter writer, LinuxNetwork network)
    {
        Number(writer, "classID"u8, network.ClassId);
        List(writer, "priorities"u8, network.Priorities, Members);
    }

    private static void Members(Utf8JsonWriter writer, LinuxInterfacePriority priority)
    {
        String(writer, "name"u8, priority.Name);
        writer.WriteNumber("priority"u8, priority.Priority);
    }

    private static void Members(Utf8JsonWriter writer, LinuxRdma rdma)
    {
        Number(writer, "hcaHandles"u8, rdma.HcaHandles);
        Number(writer, "hcaObjects"u8, rdma.HcaObjects);
    }
}
