using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci.Json;

// linux, except resources and seccomp.
internal static partial class OciWriter
{
    private static void Members(Utf8JsonWriter writer, Linux linux)
    {
        List(writer, "uidMappings"u8, linux.UidMappings, Members);
        List(writer, "gidMappings"u8, linux.GidMappings, Members);
        StringMap(writer, "sysctl"u8, linux.Sysctl);
        Object(writer, "resources"u8, linux.Resources, Members);
        String(writer, "cgroupsPath"u8, linux.CgroupsPath);
        List(writer, "namespaces"u8, linux.Namespaces, Members);
        List(writer, "devices"u8, linux.Devices, Members);
        Object(writer, "seccomp"u8, linux.Seccomp, Members);
        String(writer, "rootfsPropagation"u8, linux.RootfsPropagation);
        StringList(writer, "maskedPaths"u8, linux.MaskedPaths);
        StringList(writer, "readonlyPaths"u8, linux.ReadonlyPaths);
        String(writer, "mountLabel"u8, linux.MountLabel);
        Object(writer, "intelRdt"u8, linux.IntelRdt, Members);
        Object(writer, "personality"u8, linux.Personality, Members);
        Map(writer, "timeOffsets"u8, linux.TimeOffsets, Members);
        Map(writer, "netDevices"u8, linux.NetDevices, Members);
    }

    private static void Members(Utf8JsonWriter writer, LinuxNamespace ns)
    {
        String(writer, "type"u8, ns.Type);
        String(writer, "path"u8, ns.Path);
    }

    private static void Members(Utf8JsonWriter writer, LinuxDevice device)
    {
        String(writer, "path"u8, device.Path);
        String(writer, "type"u8, device.Type);
        writer.WriteNumber("major"u8, device.Major);
        writer.WriteNumber("minor"u8, device.Minor);
        Number(writer, "fileMode"u8, device.FileMode);
        Number(writer, "uid"u8, device.Uid);
        Number(writer, "gid"u8, device.Gid);
    }

    private static void Members(Utf8JsonWriter writer, LinuxIntelRdt rdt)
    {
        String(writer, "closID"u8, rdt.ClosId);
        String(writer, "schemata"u8, rdt.Schemata);
        String(writer, "l3CacheSchema"u8, rdt.L3CacheSchema);
        String(writer, "memBwSchema"u8, rdt.MemBwSchema);
        TrueOnly(writer, "enableCMT"u8, rdt.EnableCmt);
        TrueOnly(writer, "enableMBM"u8, rdt.EnableMbm);
    }

    private static void Members(Utf8JsonWriter writer, LinuxPersonality personality)
    {
        String(writer, "domain"u8, personality.Domain);
        StringList(writer, "flags"u8, personality.Flags);
    }

    private static void Members(Utf8JsonWriter writer, TimeOffset offset)
    {
        NonZero(writer, "secs"u8, offset.Secs);
        NonZero(writer, "nanosecs"u8, offset.Nanosecs);
    }

    private static void Members(Utf8JsonWriter writer, LinuxNetDevice device)
    {
        String(writer, "name"u8, device.Name);
    }
}
