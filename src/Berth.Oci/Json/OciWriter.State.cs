using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci.Json;

// What the runtime reports: `state`, `list --format json`, hook stdin, the seccomp agent's message.
internal static partial class OciWriter
{
    public static void Write(Utf8JsonWriter writer, ContainerState? state) => Element(writer, state, Members);

    /// <summary>A JSON array of states (<c>runc list --format json</c>); a null element as <c>null</c>.</summary>
    public static void Write(Utf8JsonWriter writer, IEnumerable<ContainerState?>? states)
    {
        if (states is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartArray();
        foreach (ContainerState? state in states)
        {
            Element(writer, state, Members);
        }
        writer.WriteEndArray();
    }

    public static void Write(Utf8JsonWriter writer, HookState? state) => Element(writer, state, Members);

    public static void Write(Utf8JsonWriter writer, ContainerProcessState? state) => Element(writer, state, Members);

    private static void Members(Utf8JsonWriter writer, ContainerState state)
    {
        String(writer, "ociVersion"u8, state.OciVersion);
        String(writer, "id"u8, state.Id);
        writer.WriteNumber("pid"u8, state.Pid);
        String(writer, "status"u8, state.Status);
        String(writer, "bundle"u8, state.Bundle);
        String(writer, "rootfs"u8, state.Rootfs);
        Span<char> created = stackalloc char[GoTime.MaxLength];
        writer.WriteString("created"u8, created[..GoTime.Format(state.Created, created)]);
        StringMap(writer, "annotations"u8, state.Annotations);
        String(writer, "owner"u8, state.Owner);
    }

    private static void Members(Utf8JsonWriter writer, HookState state)
    {
        String(writer, "ociVersion"u8, state.OciVersion);
        String(writer, "id"u8, state.Id);
        String(writer, "status"u8, state.Status);
        NonZero(writer, "pid"u8, state.Pid);
        String(writer, "bundle"u8, state.Bundle);
        StringMap(writer, "annotations"u8, state.Annotations);
    }

    private static void Members(Utf8JsonWriter writer, ContainerProcessState state)
    {
        String(writer, "ociVersion"u8, state.OciVersion);
        StringList(writer, "fds"u8, state.Fds);
        writer.WriteNumber("pid"u8, state.Pid);
        String(writer, "metadata"u8, state.Metadata);
        Object(writer, "state"u8, state.State, Members);
    }
}
