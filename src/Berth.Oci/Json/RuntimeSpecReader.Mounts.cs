using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci.Json;

// mounts, hooks, and the ID mappings shared by mounts and linux.
internal static partial class RuntimeSpecReader
{
    private static readonly JsonMembers MountMembers = new("destination", "type", "source", "options", "uidMappings", "gidMappings");

    private static Mount ReadMount(ref Utf8JsonReader reader)
    {
        Mount mount = new();
        while (MountMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "destination": mount.Destination = ReadString(ref reader); break;
                case "type": mount.Type = ReadNullableString(ref reader); break;
                case "source": mount.Source = ReadNullableString(ref reader); break;
                case "options": mount.Options = ReadStringList(ref reader); break;
                case "uidMappings": mount.UidMappings = ReadList(ref reader, ReadIdMapping); break;
                case "gidMappings": mount.GidMappings = ReadList(ref reader, ReadIdMapping); break;
            }
        }
        return mount;
    }

    private static readonly JsonMembers IdMappingMembers = new("containerID", "hostID", "size");

    private static IdMapping ReadIdMapping(ref Utf8JsonReader reader)
    {
        IdMapping mapping = new();
        while (IdMappingMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "containerID": mapping.ContainerId = ReadUInt32(ref reader); break;
                case "hostID": mapping.HostId = ReadUInt32(ref reader); break;
                case "size": mapping.Size = ReadUInt32(ref reader); break;
            }
        }
        return mapping;
    }

    private static readonly JsonMembers HooksMembers = new(
        "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");

    private static Hooks ReadHooks(ref Utf8JsonReader reader)
    {
        Hooks hooks = new();
        while (HooksMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "prestart": hooks.Prestart = ReadList(ref reader, ReadHook); break;
                case "createRuntime": hooks.CreateRuntime = ReadList(ref reader, ReadHook); break;
                case "createContainer": hooks.CreateContainer = ReadList(ref reader, ReadHook); break;
                case "startContainer": hooks.StartContainer = ReadList(ref reader, ReadHook); break;
                case "poststart": hooks.Poststart = ReadList(ref reader, ReadHook); break;
                case "poststop": hooks.Poststop = ReadList(ref reader, ReadHook); break;
            }
        }
        return hooks;
    }

    private static readonly JsonMembers HookMembers = new("path", "args", "env", "timeout");

    private static Hook ReadHook(ref Utf8JsonReader reader)
    {
        Hook hook = new();
        while (HookMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "path": hook.Path = ReadString(ref reader); break;
                case "args": hook.Args = ReadStringList(ref reader); break;
                case "env": hook.Env = ReadStringList(ref reader); break;
                case "timeout": hook.Timeout = ReadNullableInt32(ref reader); break;
            }
        }
        return hook;
    }
}
