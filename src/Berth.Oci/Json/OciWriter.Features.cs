using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci.Json;

// `features`: every flag and list is nullable, null meaning "unknown".
internal static partial class OciWriter
{
    public static void Write(Utf8JsonWriter writer, Features? features) => Element(writer, features, Members);

    private static void Members(Utf8JsonWriter writer, Features features)
    {
        String(writer, "ociVersionMin"u8, features.OciVersionMin);
        String(writer, "ociVersionMax"u8, features.OciVersionMax);
        StringList(writer, "hooks"u8, features.Hooks);
        StringList(writer, "mountOptions"u8, features.MountOptions);
        Object(writer, "linux"u8, features.Linux, Members);
        StringMap(writer, "annotations"u8, features.Annotations);
        StringList(writer, "potentiallyUnsafeConfigAnnotations"u8, features.PotentiallyUnsafeConfigAnnotations);
    }

    private static void Members(Utf8JsonWriter writer, LinuxFeatures linux)
    {
        StringList(writer, "namespaces"u8, linux.Namespaces);
        StringList(writer, "capabilities"u8, linux.Capabilities);
        Object(writer, "cgroup"u8, linux.Cgroup, Members);
        Object(writer, "seccomp"u8, linux.Seccomp, Members);
        Object(writer, "apparmor"u8, linux.Apparmor, Members);
        Object(writer, "selinux"u8, linux.Selinux, Members);
        Object(writer, "intelRdt"u8, linux.IntelRdt, Members);
        Object(writer, "mountExtensions"u8, linux.MountExtensions, Members);
        Object(writer, "netDevices"u8, linux.NetDevices, Members);
    }

    private static void Members(Utf8JsonWriter writer, CgroupFeatures cgroup)
    {
        Boolean(writer, "v1"u8, cgroup.V1);
        Boolean(writer, "v2"u8, cgroup.V2);
        Boolean(writer, "systemd"u8, cgroup.Systemd);
        Boolean(writer, "systemdUser"u8, cgroup.SystemdUser);
        Boolean(writer, "rdma"u8, cgroup.Rdma);
    }

    private static void Members(Utf8JsonWriter writer, SeccompFeatures seccomp)
    {
        Boolean(writer, "enabled"u8, seccomp.Enabled);
        StringList(writer, "actions"u8, seccomp.Actions);
        StringList(writer, "operators"u8, seccomp.Operators);
        StringList(writer, "archs"u8, seccomp.Archs);
        StringList(writer, "knownFlags"u8, seccomp.KnownFlags);
        StringList(writer, "supportedFlags"u8, seccomp.SupportedFlags);
    }

    private static void Members(Utf8JsonWriter writer, EnabledFeature feature)
    {
        Boolean(writer, "enabled"u8, feature.Enabled);
    }

    private static void Members(Utf8JsonWriter writer, IntelRdtFeatures rdt)
    {
        Boolean(writer, "enabled"u8, rdt.Enabled);
        Boolean(writer, "schemata"u8, rdt.Schemata);
    }

    private static void Members(Utf8JsonWriter writer, MountExtensionsFeatures extensions)
    {
        Object(writer, "idmap"u8, extensions.IdMap, Members);
    }
}
