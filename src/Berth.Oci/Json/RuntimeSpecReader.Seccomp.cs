using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci.Json;

// linux.seccomp: Docker's default profile makes it the largest section of a config.
internal static partial class RuntimeSpecReader
{
    private static readonly JsonMembers SeccompMembers = new(
        "defaultAction", "defaultErrnoRet", "architectures", "flags", "listenerPath", "listenerMetadata", "syscalls");

    private static LinuxSeccomp ReadSeccomp(ref Utf8JsonReader reader)
    {
        LinuxSeccomp seccomp = new();
        while (SeccompMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "defaultAction": seccomp.DefaultAction = ReadString(ref reader); break;
                case "defaultErrnoRet": seccomp.DefaultErrnoRet = ReadNullableUInt32(ref reader); break;
                case "architectures": seccomp.Architectures = ReadStringList(ref reader); break;
                case "flags": seccomp.Flags = ReadStringList(ref reader); break;
                case "listenerPath": seccomp.ListenerPath = ReadNullableString(ref reader); break;
                case "listenerMetadata": seccomp.ListenerMetadata = ReadNullableString(ref reader); break;
                case "syscalls": seccomp.Syscalls = ReadList(ref reader, ReadSyscall); break;
            }
        }
        return seccomp;
    }

    private static readonly JsonMembers SyscallMembers = new("names", "action", "errnoRet", "args");

    private static LinuxSyscall ReadSyscall(ref Utf8JsonReader reader)
    {
        LinuxSyscall syscall = new();
        while (SyscallMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "names": syscall.Names = ReadRequiredStringList(ref reader); break;
                case "action": syscall.Action = ReadString(ref reader); break;
                case "errnoRet": syscall.ErrnoRet = ReadNullableUInt32(ref reader); break;
                case "args": syscall.Args = ReadList(ref reader, ReadSeccompArg); break;
            }
        }
        return syscall;
    }

    private static readonly JsonMembers SeccompArgMembers = new("index", "value", "valueTwo", "op");

    private static LinuxSeccompArg ReadSeccompArg(ref Utf8JsonReader reader)
    {
        LinuxSeccompArg arg = new();
        while (SeccompArgMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "index": arg.Index = ReadUInt32(ref reader); break;
                case "value": arg.Value = ReadUInt64(ref reader); break;
                case "valueTwo": arg.ValueTwo = ReadUInt64(ref reader); break;
                case "op": arg.Op = ReadString(ref reader); break;
            }
        }
        return arg;
    }
}
