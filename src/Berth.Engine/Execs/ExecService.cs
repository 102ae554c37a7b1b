using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Berth.Engine.Containers;
using Berth.Engine.Model;
using Berth.Oci;
using Berth.Oci.Runtime;
using ContainerStatus = Berth.Engine.Containers.ContainerStatus;

namespace Berth.Engine.Execs;

/// <summary>
/// <c>docker exec</c>: an extra process in a running container, run by the container's shim with
/// the container's own process settings (capabilities, no-new-privileges, rlimits) and the exec's
/// command, env, user and working directory on top.
/// </summary>
public sealed class ExecService(ContainerService containers)
{
    readonly ConcurrentDictionary<string, ExecRecord> _execs = new(StringComparer.Ordinal);

    public ExecRecord Create(Container container, ExecCreateRequest request)
    {
        if (!container.Record.State.Running || container.Shim is null)
            throw EngineException.Conflict($"container {container.Id} is not running");
        if (container.Record.State.Status == ContainerStatus.Paused)
            throw EngineException.Conflict($"Container {container.Id} is paused, unpause the container before exec");
        if (request.Cmd is null || request.Cmd.Count == 0)
            throw EngineException.Invalid("No exec command specified");
        byte[] detachKeys = [];
        if (!string.IsNullOrEmpty(request.DetachKeys) && !Streams.DetachKeys.TryParse(request.DetachKeys, out detachKeys))
            throw EngineException.Invalid($"Invalid escape keys ({request.DetachKeys}) provided");
        var exec = new ExecRecord
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            ContainerId = container.Id,
            Cmd = [.. request.Cmd],
            Env = request.Env is null ? null : [.. request.Env],
            User = request.User ?? "",
            WorkingDir = request.WorkingDir ?? "",
            Tty = request.Tty,
            Privileged = request.Privileged,
            AttachStdin = request.AttachStdin,
            AttachStdout = request.AttachStdout,
            AttachStderr = request.AttachStderr,
            DetachKeys = detachKeys,
            ConsoleSize = request.ConsoleSize is null ? null : [.. request.ConsoleSize.Select(v => (int)v)],
        };
        _execs[exec.Id] = exec;
        lock (container.Record.ExecIds)
            container.Record.ExecIds.Add(exec.Id);
        containers.Events.Publish("container", Action("exec_create", exec), container.Id,
            containers.Attributes(container, ("execID", exec.Id)));
        return exec;
    }

    public ExecRecord Get(string id)
        => _execs.TryGetValue(id, out var exec) ? exec : throw EngineException.NotFound($"No such exec instance: {id}");

    /// <summary>Drops an exec nobody will ask about (a health probe's, once it has ended or failed to start).</summary>
    public void Forget(ExecRecord exec)
    {
        _execs.TryRemove(exec.Id, out _);
        if (containers.Store.TryGet(exec.ContainerId) is { } container)
            Unlist(container, exec);
    }

    /// <summary>Docker lists only the execs that run in a container's ExecIDs.</summary>
    static void Unlist(Container container, ExecRecord exec)
    {
        lock (container.Record.ExecIds)
            container.Record.ExecIds.Remove(exec.Id);
    }

    /// <summary>
    /// An ended exec's files in the shim's state directory (its process, pid and exit code): once
    /// read they are clutter, and health checks would leave a set for every probe.
    /// </summary>
    static void RemoveFiles(string state, ExecRecord exec, string processFile)
    {
        foreach (string file in new[] { processFile, Shims.ShimProtocol.ExecPidFile(state, exec.Id), Shims.ShimProtocol.ExecExitFile(state, exec.Id) })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // The container's state directory is gone with it.
            }
        }
    }

    /// <summary>Docker's event action for an exec: the verb, then the entrypoint and its arguments joined ("exec_start: true " for a lone word).</summary>
    static string Action(string verb, ExecRecord exec) => $"{verb}: {exec.Cmd[0]} {string.Join(' ', exec.Cmd.Skip(1))}";

    /// <summary>
    /// Starts the exec; returns its stream (multiplexed without a tty, raw with one) and a task that
    /// completes with its exit code once the stream has ended.
    /// </summary>
    public async Task<(Stream Stream, Task<int> Exit)> StartAsync(ExecRecord exec, CancellationToken ct)
        => await LaunchAsync(Claim(exec), exec, ct);

    /// <summary>
    /// Takes the exec's one start, with Docker's conflicts when it ran already or its container is not running: what
    /// the API answers with an error status, before it hands the connection to the exec's stream.
    /// </summary>
    public Container Claim(ExecRecord exec)
    {
        var container = containers.Store.Get(exec.ContainerId);
        lock (exec)
        {
            if (exec.Started)
                throw EngineException.Conflict($"Error: Exec command {exec.Id} has already run");
            exec.Started = true;
        }
        if (!container.Record.State.Running || container.Shim is null)
            throw EngineException.Conflict($"container {container.Id} is not running");
        return container;
    }

    /// <summary>
    /// Runs a claimed exec's process. One that cannot start (no such command, no such user) ends with Docker's exit
    /// code 126, no longer listed in the container's execs, and the error is thrown (the runtime's in dockerd's words).
    /// </summary>
    public async Task<(Stream Stream, Task<int> Exit)> LaunchAsync(Container container, ExecRecord exec, CancellationToken ct)
    {
        string processFile = Path.Combine(containers.Options.ShimState(container.Id), $"exec-{exec.Id[..16]}.json");
        int pid;
        Stream stream;
        try
        {
            if (container.Shim is not { } shim)
                throw EngineException.Conflict($"container {container.Id} is not running");
            await File.WriteAllBytesAsync(processFile, OciJson.WriteIndented(BuildProcess(container, exec)), ct);
            (pid, stream) = await shim.ExecAsync(exec.Id, exec.Tty, exec.AttachStdin, processFile, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            exec.ExitCode = NotStartedExitCode;
            Unlist(container, exec);
            RemoveFiles(containers.Options.ShimState(container.Id), exec, processFile);
            if (e is Shims.ShimException)
                throw EngineException.System($"OCI runtime exec failed: {e.Message}: unknown", e);
            throw;
        }
        exec.Pid = pid;
        exec.Running = true;
        containers.Events.Publish("container", Action("exec_start", exec), container.Id,
            containers.Attributes(container, ("execID", exec.Id)));
        var exit = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tracked = new EndNotifyingStream(stream, () =>
        {
            string state = containers.Options.ShimState(container.Id);
            int? recorded = Shims.ShimClient.ReadExecExitCode(state, exec.Id);
            int code = recorded ?? NotStartedExitCode;
            exec.ExitCode = code;
            exec.Running = false;
            exec.Pid = 0;
            Unlist(container, exec);
            if (recorded is not null)
                RemoveFiles(state, exec, processFile);
            containers.Events.Publish("container", "exec_die", container.Id,
                containers.Attributes(container, ("execID", exec.Id), ("exitCode", code.ToString(CultureInfo.InvariantCulture))));
            exit.TrySetResult(code);
        });
        return (tracked, exit.Task);
    }

    /// <summary>dockerd's exit code for an exec whose process never ran.</summary>
    const int NotStartedExitCode = 126;

    public async Task ResizeAsync(ExecRecord exec, int rows, int columns, CancellationToken ct)
    {
        var container = containers.Store.Get(exec.ContainerId);
        if (container.Shim is not { } shim || !exec.Running)
            throw EngineException.Conflict($"Exec {exec.Id} is not running");
        await shim.ExecResizeAsync(exec.Id, rows, columns, ct);
    }

    /// <summary>The exec's process: the container's (from its bundle) with the exec's command, env, user and directory.</summary>
    Process BuildProcess(Container container, ExecRecord exec)
    {
        string bundleConfig = Path.Combine(containers.Options.BundlesDirectory, container.Id, "config.json");
        var spec = OciJson.ReadSpec(bundleConfig);
        var process = spec.Process ?? new Process();
        process.Args = [.. exec.Cmd];
        process.Terminal = exec.Tty;
        process.ConsoleSize = exec.Tty && exec.ConsoleSize is [var h, var w, ..] && h > 0 && w > 0 ? new ConsoleSize { Height = (uint)h, Width = (uint)w } : null;
        var env = new List<string>(process.Env ?? []);
        foreach (string e in exec.Env ?? [])
        {
            string key = ConfigMerge.KeyOf(e);
            env.RemoveAll(x => ConfigMerge.KeyOf(x) == key);
            env.Add(e);
        }
        process.Env = env;
        if (!string.IsNullOrEmpty(exec.WorkingDir))
            process.Cwd = exec.WorkingDir;
        if (!string.IsNullOrEmpty(exec.User))
        {
            var user = ContainerUsers.Resolve(spec.Root!.Path, exec.User, container.Record.HostConfig.GroupAdd);
            process.User = new User { Uid = user.Uid, Gid = user.Gid, AdditionalGids = user.AdditionalGids.Count == 0 ? null : [.. user.AdditionalGids] };
        }
        if (exec.Privileged)
        {
            var all = Berth.Linux.Capabilities.AllNames.ToList();
            process.Capabilities = new LinuxCapabilities { Bounding = all, Effective = [.. all], Permitted = [.. all] };
        }
        return process;
    }
}
