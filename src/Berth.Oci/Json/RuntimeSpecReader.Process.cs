using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci.Json;

// process: also the whole document of `exec --process`.
internal static partial class RuntimeSpecReader
{
    private static readonly JsonMembers ProcessMembers = new(
        "terminal", "consoleSize", "user", "args", "commandLine", "env", "cwd", "capabilities", "rlimits",
        "noNewPrivileges", "apparmorProfile", "oomScoreAdj", "scheduler", "selinuxLabel", "ioPriority", "execCPUAffinity");

    private static Process ReadProcess(ref Utf8JsonReader reader)
    {
        Process process = new();
        while (ProcessMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "terminal": process.Terminal = ReadBool(ref reader); break;
                case "consoleSize": process.ConsoleSize = ReadObject(ref reader, ReadConsoleSize); break;
                case "user": process.User = ReadRequiredObject(ref reader, ReadUser); break;
                case "args": process.Args = ReadStringList(ref reader); break;
                case "commandLine": process.CommandLine = ReadNullableString(ref reader); break;
                case "env": process.Env = ReadStringList(ref reader); break;
                case "cwd": process.Cwd = ReadString(ref reader); break;
                case "capabilities": process.Capabilities = ReadObject(ref reader, ReadCapabilities); break;
                case "rlimits": process.Rlimits = ReadList(ref reader, ReadRlimit); break;
                case "noNewPrivileges": process.NoNewPrivileges = ReadBool(ref reader); break;
                case "apparmorProfile": process.ApparmorProfile = ReadNullableString(ref reader); break;
                case "oomScoreAdj": process.OomScoreAdj = ReadNullableInt32(ref reader); break;
                case "scheduler": process.Scheduler = ReadObject(ref reader, ReadScheduler); break;
                case "selinuxLabel": process.SelinuxLabel = ReadNullableString(ref reader); break;
                case "ioPriority": process.IoPriority = ReadObject(ref reader, ReadIoPriority); break;
                case "execCPUAffinity": process.ExecCpuAffinity = ReadObject(ref reader, ReadCpuAffinity); break;
            }
        }
        return process;
    }

    private static readonly JsonMembers ConsoleSizeMembers = new("height", "width");

    private static ConsoleSize ReadConsoleSize(ref Utf8JsonReader reader)
    {
        ConsoleSize size = new();
        while (ConsoleSizeMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "height": size.Height = ReadUInt32(ref reader); break;
                case "width": size.Width = ReadUInt32(ref reader); break;
            }
        }
        return size;
    }

    private static readonly JsonMembers UserMembers = new("uid", "gid", "umask", "additionalGids");

    private static User ReadUser(ref Utf8JsonReader reader)
    {
        User user = new();
        while (UserMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "uid": user.Uid = ReadUInt32(ref reader); break;
                case "gid": user.Gid = ReadUInt32(ref reader); break;
                case "umask": user.Umask = ReadNullableUInt32(ref reader); break;
                case "additionalGids": user.AdditionalGids = ReadUInt32List(ref reader); break;
            }
        }
        return user;
    }

    private static readonly JsonMembers CapabilitiesMembers = new("bounding", "effective", "inheritable", "permitted", "ambient");

    private static LinuxCapabilities ReadCapabilities(ref Utf8JsonReader reader)
    {
        LinuxCapabilities capabilities = new();
        while (CapabilitiesMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "bounding": capabilities.Bounding = ReadStringList(ref reader); break;
                case "effective": capabilities.Effective = ReadStringList(ref reader); break;
                case "inheritable": capabilities.Inheritable = ReadStringList(ref reader); break;
                case "permitted": capabilities.Permitted = ReadStringList(ref reader); break;
                case "ambient": capabilities.Ambient = ReadStringList(ref reader); break;
            }
        }
        return capabilities;
    }

    private static readonly JsonMembers RlimitMembers = new("type", "hard", "soft");

    private static Rlimit ReadRlimit(ref Utf8JsonReader reader)
    {
        Rlimit rlimit = new();
        while (RlimitMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "type": rlimit.Type = ReadString(ref reader); break;
                case "hard": rlimit.Hard = ReadUInt64(ref reader); break;
                case "soft": rlimit.Soft = ReadUInt64(ref reader); break;
            }
        }
        return rlimit;
    }

    private static readonly JsonMembers SchedulerMembers = new("policy", "nice", "priority", "flags", "runtime", "deadline", "period");

    private static Scheduler ReadScheduler(ref Utf8JsonReader reader)
    {
        Scheduler scheduler = new();
        while (SchedulerMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "policy": scheduler.Policy = ReadString(ref reader); break;
                case "nice": scheduler.Nice = ReadInt32(ref reader); break;
                case "priority": scheduler.Priority = ReadInt32(ref reader); break;
                case "flags": scheduler.Flags = ReadStringList(ref reader); break;
                case "runtime": scheduler.Runtime = ReadUInt64(ref reader); break;
                case "deadline": scheduler.Deadline = ReadUInt64(ref reader); break;
                case "period": scheduler.Period = ReadUInt64(ref reader); break;
            }
        }
        return scheduler;
    }

    private static readonly JsonMembers IoPriorityMembers = new("class", "priority");

    private static IoPriority ReadIoPriority(ref Utf8JsonReader reader)
    {
        IoPriority priority = new();
        while (IoPriorityMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "class": priority.Class = ReadString(ref reader); break;
                case "priority": priority.Priority = ReadInt32(ref reader); break;
            }
        }
        return priority;
    }

    private static readonly JsonMembers CpuAffinityMembers = new("initial", "final");

    private static CpuAffinity ReadCpuAffinity(ref Utf8JsonReader reader)
    {
        CpuAffinity affinity = new();
        while (CpuAffinityMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "initial": affinity.Initial = ReadNullableString(ref reader); break;
                case "final": affinity.Final = ReadNullableString(ref reader); break;
            }
        }
        return affinity;
    }
}
