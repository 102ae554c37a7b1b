using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci.Json;

// mounts, hooks, and the ID mappings shared by mounts and linux.
internal static partial class OciWriter
{
    private static void Members(Utf8JsonWriter writer, Mount mount)
    {
        String(writer, "destination"u8, mount.Destination);
        String(writer, "type"u8, mount.Type);
        String(writer, "source"u8, mount.Source);
        StringList(writer, "options"u8, mount.Options);
        List(writer, "uidMappings"u8, mount.UidMappings, Members);
        List(writer, "gidMappings"u8, mount.GidMappings, Members);
    }

    private static void Members(Utf8JsonWriter writer, IdMapping mapping)
    {
        writer.WriteNumber("containerID"u8, mapping.ContainerId);
        writer.WriteNumber("hostID"u8, mapping.HostId);
        writer.WriteNumber("size"u8, mapping.Size);
    }

    private static void Members(Utf8JsonWriter writer, Hooks hooks)
    {
        List(writer, "prestart"u8, hooks.Prestart, Members);
        List(writer, "createRuntime"u8, hooks.CreateRuntime, Members);
        List(writer, "createContainer"u8, hooks.CreateContainer, Members);
        List(writer, "startContainer"u8, hooks.StartContainer, Members);
        List(writer, "poststart"u8, hooks.Poststart, Members);
        List(writer, "poststop"u8, hooks.Poststop, Members);
    }

    private static void Members(Utf8JsonWriter writer, Hook hook)
    {
        String(writer, "path"u8, hook.Path);
        StringList(writer, "args"u8, hook.Args);
        StringList(writer, "env"u8, hook.Env);
        Number(writer, "timeout"u8, hook.Timeout);
    }
}
