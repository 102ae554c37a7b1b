using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci.Json;

// linux, except resources and seccomp.
internal static partial class RuntimeSpecReader
{
    private static readonly JsonMembers LinuxMembers = new(
        "uidMappings", "gidMappings", "sysctl", "resources", "cgroupsPath", "namespaces", "devices", "seccomp",
        "rootfsPropagation", "maskedPaths", "readonlyPaths", "mountLabel", "intelRdt", "personality", "timeOffsets", "netDevices");

    private static Linux ReadLinux(ref Utf8JsonReader reader)
    {
        Linux linux = new();
        while (LinuxMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "uidMappings": linux.UidMappings = ReadList(ref reader, ReadIdMapping); break;
                case "gidMappings": linux.GidMappings = ReadList(ref reader, ReadIdMapping); break;
                case "sysctl": linux.Sysctl = ReadStringMap(ref reader); break;
                case "resources": linux.Resources = ReadObject(ref reader, ReadResources); break;
                case "cgroupsPath": linux.CgroupsPath = ReadNullableString(ref reader); break;
                case "namespaces": linux.Namespaces = ReadList(ref reader, ReadNamespace); break;
                case "devices": linux.Devices = ReadList(ref reader, ReadDevice); break;
                case "seccomp": linux.Seccomp = ReadObject(ref reader, ReadSeccomp); break;
                case "rootfsPropagation": linux.RootfsPropagation = ReadNullableString(ref reader); break;
                case "maskedPaths": linux.MaskedPaths = ReadStringList(ref reader); break;
                case "readonlyPaths": linux.ReadonlyPaths = ReadStringList(ref reader); break;
                case "mountLabel": linux.MountLabel = ReadNullableString(ref reader); break;
                case "intelRdt": linux.IntelRdt = ReadObject(ref reader, ReadIntelRdt); break;
                case "personality": linux.Personality = ReadObject(ref reader, ReadPersonality); break;
                case "timeOffsets": linux.TimeOffsets = ReadMap(ref reader, ReadTimeOffset); break;
                case "netDevices": linux.NetDevices = ReadMap(ref reader, ReadNetDevice); break;
            }
        }
        return linux;
    }

    private static readonly JsonMembers NamespaceMembers = new("type", "path");

    private static LinuxNamespace ReadNamespace(ref Utf8JsonReader reader)
    {
        LinuxNamespace ns = new();
        while (NamespaceMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "type": ns.Type = ReadString(ref reader); break;
                case "path": ns.Path = ReadNullableString(ref reader); break;
            }
        }
        return ns;
    }

    private static readonly JsonMembers DeviceMembers = new("path", "type", "major", "minor", "fileMode", "uid", "gid");

    private static LinuxDevice ReadDevice(ref Utf8JsonReader reader)
    {
        LinuxDevice device = new();
        while (DeviceMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "path": device.Path = ReadString(ref reader); break;
                case "type": device.Type = ReadString(ref reader); break;
                case "major": device.Major = ReadInt64(ref reader); break;
                case "minor": device.Minor = ReadInt64(ref reader); break;
                case "fileMode": device.FileMode = ReadNullableUInt32(ref reader); break;
                case "uid": device.Uid = ReadNullableUInt32(ref reader); break;
                case "gid": device.Gid = ReadNullableUInt32(ref reader); break;
            }
        }
        return device;
    }

    private static readonly JsonMembers IntelRdtMembers = new(
        "closID", "schemata", "l3CacheSchema", "memBwSchema", "enableCMT", "enableMBM");

    private static LinuxIntelRdt ReadIntelRdt(ref Utf8JsonReader reader)
    {
        LinuxIntelRdt rdt = new();
        while (IntelRdtMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "closID": rdt.ClosId = ReadNullableString(ref reader); break;
                case "schemata": rdt.Schemata = ReadNullableString(ref reader); break;
                case "l3CacheSchema": rdt.L3CacheSchema = ReadNullableString(ref reader); break;
                case "memBwSchema": rdt.MemBwSchema = ReadNullableString(ref reader); break;
                case "enableCMT": rdt.EnableCmt = ReadBool(ref reader); break;
                case "enableMBM": rdt.EnableMbm = ReadBool(ref reader); break;
            }
        }
        return rdt;
    }

    private static readonly JsonMembers PersonalityMembers = new("domain", "flags");

    private static LinuxPersonality ReadPersonality(ref Utf8JsonReader reader)
    {
        LinuxPersonality personality = new();
        while (PersonalityMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "domain": personality.Domain = ReadString(ref reader); break;
                case "flags": personality.Flags = ReadStringList(ref reader); break;
            }
        }
        return personality;
    }

    private static readonly JsonMembers TimeOffsetMembers = new("secs", "nanosecs");

    private static TimeOffset ReadTimeOffset(ref Utf8JsonReader reader)
    {
        TimeOffset offset = new();
        while (TimeOffsetMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "secs": offset.Secs = ReadInt64(ref reader); break;
                case "nanosecs": offset.Nanosecs = ReadUInt32(ref reader); break;
            }
        }
        return offset;
    }

    private static readonly JsonMembers NetDeviceMembers = new("name");

    private static LinuxNetDevice ReadNetDevice(ref Utf8JsonReader reader)
    {
        LinuxNetDevice device = new();
        while (NetDeviceMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "name": device.Name = ReadNullableString(ref reader); break;
            }
        }
        return device;
    }
}
