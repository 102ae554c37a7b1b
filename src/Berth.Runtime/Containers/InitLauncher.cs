using System.Text;
using System.Text.Json;
using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Init;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Containers;

/// <summary>What <see cref="InitLauncher"/> starts: the init (or exec) config and the namespaces around it.</summary>
internal sealed class LaunchRequest
{
    public required InitConfig Config { get; init; }

    /// <summary>Namespaces to create (no path) or join (path).</summary>
    public required IReadOnlyList<(NamespaceKind Kind, string? Path)> Namespaces { get; init; }

    public IReadOnlyList<IdMapping>? UidMappings { get; init; }

    public IReadOnlyList<IdMapping>? GidMappings { get; init; }

    public IReadOnlyDictionary<string, TimeOffset>? TimeOffsets { get; init; }

    public int? OomScoreAdj { get; init; }

    public ICgroupManager? Cgroup { get; init; }

    /// <summary>Connected --console-socket, handed to the process.</summary>
    public SafeFileHandle? ConsoleSocket { get; init; }

    /// <summary>O_PATH descriptor of the exec fifo (create only).</summary>
    public SafeFileHandle? ExecFifo { get; init; }

    /// <summary>Runs the prestart and createRuntime hooks when init asks for them (pid of init).</summary>
    public Action<int>? CreateRuntimeHooks { get; init; }
}

/// <summary>
/// Starts a container process: re-executes a sealed copy of this executable with the init pipe,
/// drives nsenter.c's bootstrap (cgroup, namespaces, user maps), hands the C# init
/// its config, and waits until it is ready. On any failure the processes are killed and reaped.
/// </summary>
internal static class InitLauncher
{
    public static int Launch(LaunchRequest request)
    {
        var (parentEnd, childEnd) = UnixSockets.Pair();
        using var channel = new InitChannel(parentEnd);
        int spawned = -1, final = -1;
        try
        {
            using (childEnd)
                spawned = Spawn(request, childEnd);
            SendBootstrap(channel, request);
            final = AwaitChildPid(channel, request, spawned);

            request.Config.HostPid = final;
            channel.Send(Frame.InitConfig, InitConfigJson.Write(request.Config));
            channel.Send(Frame.InitSpec, request.Config.SpecJson);
            if (request.Config.ProcessJson is { } processJson)
                channel.Send(Frame.InitProcess, processJson);
            if (request.Config.SeccompProgram is { } seccompProgram)
                channel.Send(Frame.InitSeccompProgram, seccompProgram.Serialize());
            while (true)
            {
                var frame = channel.Receive();
                switch (frame?.Type)
                {
                    case Frame.CreateRuntimeHooks:
                        request.CreateRuntimeHooks?.Invoke(final);
                        channel.Send(Frame.CreateRuntimeHooksDone);
                        break;
                    case Frame.SeccompNotifyFd:
                        using (var notifyFd = channel.ReceiveDescriptor())
                        {
                            var spec = request.Config.Spec;
                            var state = HookStates.For(request.Config.ContainerId, ContainerStatus.Creating, final, request.Config.Bundle, spec.Annotations);
                            Seccomp.SeccompListener.Send(spec.Linux!.Seccomp!, notifyFd, state);
                        }
                        channel.Send(Frame.SeccompNotifyFdDone);
                        break;
                    case Frame.Ready:
                        return final;
                    case Frame.Error:
                        throw InitFailed(Encoding.UTF8.GetString(frame.Value.Payload));
                    case null:
                        throw new RuntimeError(ErrorKind.Internal, $"container init exited unexpectedly{ExitDescription(final)}");
                    default:
                        throw new RuntimeError(ErrorKind.Internal, $"init pipe: unexpected frame {frame.Value.Type}");
                }
            }
        }
        catch (Exception e)
        {
            foreach (int pid in new[] { final, spawned })
                if (pid > 0)
                {
                    Processes.TryKill(pid, Signals.SIGKILL);
                    Processes.Wait(pid);
                }
            if (e is RuntimeError or LinuxException && request.Cgroup is { } cgroup && SafeOomCount(cgroup) > 0)
                throw new RuntimeError(ErrorKind.InvalidArgument,
                    "linux.resources.memory.limit: the container's init was killed by the OOM killer before it could start the process; the memory limit is too low", e);
            throw;
        }
    }

    static long SafeOomCount(ICgroupManager cgroup)
    {
        try
        {
            return cgroup.OomKillCount();
        }
        catch (Exception)
        {
            return 0;
        }
    }

    static RuntimeError InitFailed(string message)
    {
        // Errors from init name the field already; keep the kind recognisable for callers.
        var kind = message.StartsWith("process.", StringComparison.Ordinal) || message.StartsWith("linux.", StringComparison.Ordinal)
            || message.StartsWith("exec:", StringComparison.Ordinal) || message.StartsWith("mounts", StringComparison.Ordinal)
            ? ErrorKind.InvalidArgument : ErrorKind.Internal;
        return new RuntimeError(kind, message);
    }

    static string ExitDescription(int pid)
    {
        if (pid <= 0)
            return "";
        var status = Processes.TryReap(pid);
        return status is null ? "" : status.Value.Signaled ? $" (killed by {Signals.Name(status.Value.Signal)})" : $" (exit status {status.Value.Code})";
    }

    static int Spawn(LaunchRequest request, SafeFileHandle childEnd)
    {
        // The child executes this binary through a private read-only mount, or else from a sealed
        // in-memory copy: a container process that gets hold of /proc/<pid>/exe finds nothing it
        // could write back to the host (CVE-2019-5736).
        using var exe = ReadOnlyExecutable();
        var files = new Dictionary<int, int> { [0] = 0, [1] = 1, [2] = 2 };
        int next = 3;
        for (int i = 0; i < request.Config.PreserveFds; i++, next++)
            files[next] = next;
        int initPipe = next++;
        files[initPipe] = (int)childEnd.DangerousGetHandle();
        if (request.ConsoleSocket is not null)
        {
            request.Config.ConsoleSocketFd = next;
            files[next++] = (int)request.ConsoleSocket.DangerousGetHandle();
        }
        if (request.ExecFifo is not null)
        {
            request.Config.ExecFifoFd = next;
            files[next++] = (int)request.ExecFifo.DangerousGetHandle();
        }
        return Processes.Spawn(new SpawnOptions
        {
            Path = "/proc/self/exe",
            ExecutableFd = (int)exe.DangerousGetHandle(),
            Args = [RuntimeInfo.Name, "init"],
            Environment = [$"_BERTH_INITPIPE={initPipe}"],
            Files = files,
        });
    }

    static SafeFileHandle ReadOnlyExecutable()
    {
        string? self = new FileInfo("/proc/self/exe").LinkTarget;
        if (self is not null && File.Exists(self) && Files.OpenThroughReadOnlyMount(self) is { } viaMount)
            return viaMount;
        return Files.SealedCopy("/proc/self/exe", RuntimeInfo.Name);
    }

    static void SendBootstrap(InitChannel channel, LaunchRequest request)
    {
        uint create = 0;
        foreach (var (kind, path) in request.Namespaces)
        {
            if (string.IsNullOrEmpty(path))
            {
                create |= (uint)Namespaces.CloneFlag(kind);
                continue;
            }
            var payload = new byte[4 + Encoding.UTF8.GetByteCount(path) + 1];
            BitConverter.TryWriteBytes(payload, (uint)Namespaces.CloneFlag(kind));
            Encoding.UTF8.GetBytes(path, payload.AsSpan(4));
            channel.Send(Frame.BootNamespacePath, payload);
        }
        channel.Send(Frame.BootCloneFlags, create);
        if (request.TimeOffsets is { Count: > 0 } offsets)
        {
            var text = new StringBuilder();
            foreach (var (clock, offset) in offsets)
                text.Append($"{clock} {offset.Secs} {offset.Nanosecs}\n");
            channel.Send(Frame.BootTimensOffsets, text.ToString());
        }
        if (request.OomScoreAdj is int oom)
            channel.Send(Frame.BootOomScoreAdj, oom.ToString());
        var join = request.Cgroup?.Join ?? CgroupJoin.None;
        foreach (string tasks in join.V1TaskFiles)
            channel.Send(Frame.BootCgroupTasks, tasks);
        if (join.V2Dir is { } v2)
            channel.Send(Frame.BootCgroupV2, v2);
        channel.Send(Frame.BootEnd);
    }

    static int AwaitChildPid(InitChannel channel, LaunchRequest request, int spawned)
    {
        while (true)
        {
            var frame = channel.Receive();
            switch (frame?.Type)
            {
                case Frame.UsermapPlease:
                    UserNamespaceMaps.Write(InitChannel.ReadInt32(frame.Value.Payload), request.UidMappings, request.GidMappings);
                    channel.Send(Frame.UsermapAck);
                    break;
                case Frame.ChildPid:
                    int child = InitChannel.ReadInt32(frame.Value.Payload);
                    var status = Processes.Wait(spawned);
                    if (status is { } s && (s.Signaled || s.Code != 0))
                        throw new RuntimeError(ErrorKind.Internal, $"nsenter: intermediate process failed ({s.Code})");
                    return child;
                case Frame.Error:
                    throw InitFailed(Encoding.UTF8.GetString(frame.Value.Payload));
                case null:
                    throw new RuntimeError(ErrorKind.Internal, $"container init exited before entering its namespaces{ExitDescription(spawned)}");
                default:
                    throw new RuntimeError(ErrorKind.Internal, $"init pipe: unexpected frame {frame.Value.Type}");
            }
        }
    }
}
