using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci.Json;

// linux.seccomp.
internal static partial class OciWriter
{
    public static void Write(Utf8JsonWriter writer, LinuxSeccomp? seccomp) => Element(writer, seccomp, Members);

    private static void Members(Utf8JsonWriter writer, LinuxSeccomp seccomp)
    {
        String(writer, "defaultAction"u8, seccomp.DefaultAction);
        Number(writer, "defaultErrnoRet"u8, seccomp.DefaultErrnoRet);
        StringList(writer, "architectures"u8, seccomp.Architectures);
        StringList(writer, "flags"u8, seccomp.Flags);
        String(writer, "listenerPath"u8, seccomp.ListenerPath);
        String(writer, "listenerMetadata"u8, seccomp.ListenerMetadata);
        List(writer, "syscalls"u8, seccomp.Syscalls, Members);
    }

    private static void Members(Utf8JsonWriter writer, LinuxSyscall syscall)
    {
        StringList(writer, "names"u8, syscall.Names);
        String(writer, "action"u8, syscall.Action);
        Number(writer, "errnoRet"u8, syscall.ErrnoRet);
        List(writer, "args"u8, syscall.Args, Members);
    }

    private static void Members(Utf8JsonWriter writer, LinuxSeccompArg arg)
    {
        writer.WriteNumber("index"u8, arg.Index);
        writer.WriteNumber("value"u8, arg.Value);
        NonZero(writer, "valueTwo"u8, arg.ValueTwo);
        String(writer, "op"u8, arg.Op);
    }
}
