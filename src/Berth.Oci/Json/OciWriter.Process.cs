using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci.Json;

// process: also the whole document of `exec --process`.
internal static partial class OciWriter
{
    public static void Write(Utf8JsonWriter writer, Process? process) => Element(writer, process, Members);

    private static void Members(Utf8JsonWriter writer, Process process)
    {
        TrueOnly(writer, "terminal"u8, process.Terminal);
        Object(writer, "consoleSize"u8, process.ConsoleSize, Members);
        Object(writer, "user"u8, process.User, Members);
        StringList(writer, "args"u8, process.Args);
        String(writer, "commandLine"u8, process.CommandLine);
        StringList(writer, "env"u8, process.Env);
        String(writer, "cwd"u8, process.Cwd);
        Object(writer, "capabilities"u8, process.Capabilities, Members);
        List(writer, "rlimits"u8, process.Rlimits, Members);
        TrueOnly(writer, "noNewPrivileges"u8, process.NoNewPrivileges);
        String(writer, "apparmorProfile"u8, process.ApparmorProfile);
        Number(writer, "oomScoreAdj"u8, process.OomScoreAdj);
        Object(writer, "scheduler"u8, process.Scheduler, Members);
        String(writer, "selinuxLabel"u8, process.SelinuxLabel);
        Object(writer, "ioPriority"u8, process.IoPriority, Members);
        Object(writer, "execCPUAffinity"u8, process.ExecCpuAffinity, Members);
    }

    private static void Members(Utf8JsonWriter writer, ConsoleSize size)
    {
        writer.WriteNumber("height"u8, size.Height);
        writer.WriteNumber("width"u8, size.Width);
    }

    private static void Members(Utf8JsonWriter writer, User user)
    {
        writer.WriteNumber("uid"u8, user.Uid);
        writer.WriteNumber("gid"u8, user.Gid);
        Number(writer, "umask"u8, user.Umask);
        NumberList(writer, "additionalGids"u8, user.AdditionalGids);
    }

    private static void Members(Utf8JsonWriter writer, LinuxCapabilities capabilities)
    {
        StringList(writer, "bounding"u8, capabilities.Bounding);
        StringList(writer, "effective"u8, capabilities.Effective);
        StringList(writer, "inheritable"u8, capabilities.Inheritable);
        StringList(writer, "permitted"u8, capabilities.Permitted);
        StringList(writer, "ambient"u8, capabilities.Ambient);
    }

    private static void Members(Utf8JsonWriter writer, Rlimit rlimit)
    {
        String(writer, "type"u8, rlimit.Type);
        writer.WriteNumber("hard"u8, rlimit.Hard);
        writer.WriteNumber("soft"u8, rlimit.Soft);
    }

    private static void Members(Utf8JsonWriter writer, Scheduler scheduler)
    {
        String(writer, "policy"u8, scheduler.Policy);
        NonZero(writer, "nice"u8, scheduler.Nice);
        NonZero(writer, "priority"u8, scheduler.Priority);
        StringList(writer, "flags"u8, scheduler.Flags);
        NonZero(writer, "runtime"u8, scheduler.Runtime);
        NonZero(writer, "deadline"u8, scheduler.Deadline);
        NonZero(writer, "period"u8, scheduler.Period);
    }

    private static void Members(Utf8JsonWriter writer, IoPriority priority)
    {
        String(writer, "class"u8, priority.Class);
        writer.WriteNumber("priority"u8, priority.Priority);
    }

    private static void Members(Utf8JsonWriter writer, CpuAffinity affinity)
    {
        String(writer, "initial"u8, affinity.Initial);
        String(writer, "final"u8, affinity.Final);
    }
}
