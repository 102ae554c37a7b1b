using Berth.Engine.Logs;
using Berth.Engine.Shims;
using Berth.Images.Snapshots;
using Berth.Linux;
using Berth.Oci;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// <c>docker start</c>: mounts the container's root, writes its OCI bundle, starts a new shim,
    /// connects the attaches waiting for the container's output, then has the shim create and start
    /// it under the runtime. A failure undoes the mount and bundle and is recorded as the container's
    /// error (as Docker does).
    /// </summary>
    public async Task StartAsync(Container container, CancellationToken ct = default)
    {
        await container.Lock.WaitAsync(ct);
        bool failed = false;
        try
        {
            if (container.Record.State.Running)
                throw EngineException.NotModified("container already started");
            if (container.Record.State.Status == ContainerStatus.Removing)
                throw EngineException.Conflict($"container is marked for removal and cannot be started");
            await StartLockedAsync(container, ct);
        }
        catch (EngineException e) when (e.Kind is not (EngineErrorKind.NotModified or EngineErrorKind.Conflict))
        {
            failed = true;
            throw;
        }
        finally
        {
            container.Lock.Release();
            // Docker removes an auto-remove container whose start failed: `run --rm` waits for that.
            if (failed && container.Record.HostConfig.AutoRemove)
                await RemoveAsync(container, force: true, removeVolumes: true, CancellationToken.None);
        }
    }

    async Task StartLockedAsync(Container container, CancellationToken ct)
    {
        var record = container.Record;
        var state = record.State;
        var runtime = RuntimeOf(record.Runtime);
        string bundle = BundleOf(container);
        string rootfs = RootfsOf(container);
        string shimState = ShimStateOf(container);
        ShimClient? shim = null;
        Task<ShimClient>? spawning = null;
        bool mounted = false;
        bool attached = false;
        try
        {
            await container.RuntimeDeleted;
            await container.NetworkReleased;
            if (Directory.Exists(shimState))
                Directory.Delete(shimState, recursive: true);
            Directory.CreateDirectory(shimState);
            var log = record.HostConfig.LogConfig is { } lc ? new LogConfig(lc.Type, lc.Config ?? []) : Options.DefaultLogConfig;
            // The shim (a process of its own) starts up while the root is mounted and the bundle written:
            // it reads the bundle only when told to start.
            spawning = ShimClient.SpawnAsync(new ShimOptions(
                container.Id, bundle, shimState, runtime.Path, Options.RuntimeRoot(runtime.Name),
                record.Config.Tty, record.Config.OpenStdin, record.Config.StdinOnce,
                log, string.IsNullOrEmpty(record.LogPath) ? null : record.LogPath, Options.ShimPath), ct);
            Directory.CreateDirectory(rootfs);
            SnapshotMounts.Mount(Images.Snapshotter.Mounts(container.Id), rootfs);
            mounted = true;
            EnsureWorkingDirectory(rootfs, record.Config.WorkingDir);
            var links = ContainerLinks.Resolve(Store, record);
            string? netns = NetworkNamespaceOf(record);
            attached = true;
            var own = record.Networks.Values.FirstOrDefault(e => e.IPAddress.Length > 0);
            ContainerFiles.WriteHosts(container, own?.IPAddress, Networks.HostGateway, links.Hosts, own?.GlobalIPv6Address);
            var spec = SpecBuilder.Build(new SpecBuilder.Inputs(record, rootfs, container.Directory, Options.DefaultUlimits, Options.CgroupParent)
            {
                Engine = Options,
                NetworkNamespace = netns,
                LinkEnvironment = links.Environment,
            });
            File.WriteAllBytes(Path.Combine(bundle, "config.json"), OciJson.WriteIndented(spec));
            shim = await spawning;

            List<PendingAttach> pending;
            lock (container.PendingAttaches)
            {
                pending = [.. container.PendingAttaches];
                container.PendingAttaches.Clear();
            }
            foreach (var attach in pending)
            {
                try
                {
                    attach.Stream.TrySetResult(await shim.AttachAsync(attach.Stdin, attach.Stdout, attach.Stderr, ct));
                }
                catch (Exception e)
                {
                    attach.Stream.TrySetException(e);
                }
            }
            await shim.StartAsync(ct);
        }
        catch (Exception e)
        {
            if (shim is null && spawning is not null)
            {
                try
                {
                    shim = await spawning;
                }
                catch (Exception)
                {
                    // It did not start (its own error, or cancelled: then it ends itself once it reports).
                }
            }
            if (shim is not null)
            {
                try
                {
                    // Ends a shim that waits for its start as well as a started container.
                    await shim.KillAsync(Signals.SIGKILL, all: true, CancellationToken.None);
                    await shim.WaitAsync(CancellationToken.None);
                }
                catch (Exception)
                {
                    // The shim is gone already (a refused start: it cleaned up and left), or its container never ran.
                }
            }
            if (mounted)
                Mounts.TryUnmount(rootfs, UnmountFlags.Detach);
            if (attached)
                await Networks.Detach(record);
            RemoveBundle(bundle);
            TryDeleteDirectory(shimState);
            state.Error = e is ShimException or EngineException ? e.Message : $"start: {e.Message}";
            // Docker's codes for a command that cannot run: 127 not found, 126 not executable.
            state.ExitCode = state.Error.Contains("not found", StringComparison.Ordinal) || state.Error.Contains("no such file", StringComparison.OrdinalIgnoreCase) ? 127
                : state.Error.Contains("permission denied", StringComparison.OrdinalIgnoreCase) ? 126 : 128;
            if (state.Status == ContainerStatus.Created && state.StartedAt is null)
                state.Status = ContainerStatus.Created;
            Store.Save(container);
            lock (container.PendingAttaches)
            {
                foreach (var attach in container.PendingAttaches)
                    attach.Stream.TrySetException(e);
                container.PendingAttaches.Clear();
            }
            if (e is EngineException)
                throw;
            if (e is ShimException)
                throw EngineException.Invalid(state.Error);
            throw EngineException.System(state.Error, e);
        }

        state.Status = ContainerStatus.Running;
        state.Pid = shim.Pid;
        state.StartedAt = DateTimeOffset.UtcNow;
        state.FinishedAt = null;
        state.Error = "";
        state.ExitCode = 0;
        state.OomKilled = false;
        state.ManuallyStopped = false;
        container.Shim = shim;
        Health?.Reset(container);
        // A power loss ends the run of an auto-remove container and with it the container: only restart policies (which
        // auto-remove excludes) need to find "running" on disk after a reboot.
        Store.Save(container, durable: !record.HostConfig.AutoRemove);
        Publish(container, "start");
        container.Monitor = MonitorAsync(container, shim);
    }

    /// <summary>
    /// The network namespace the container starts in: the one the engine made for its bridge networks, or its
    /// container:&lt;id&gt; peer's; null when the runtime makes an empty one (none) or it has the host's.
    /// </summary>
    string? NetworkNamespaceOf(ContainerRecord record)
    {
        string mode = record.HostConfig.NetworkMode;
        if (!mode.StartsWith("container:", StringComparison.Ordinal))
            return Networks.Attach(record);
        var peer = Store.Get(mode["container:".Length..]);
        if (peer.Id == record.Id)
            throw EngineException.Invalid("cannot join own network namespace");
        if (!peer.Record.State.Running)
            throw EngineException.Conflict($"cannot join network namespace of a non running container: container {peer.Id} is {peer.Record.State.Status}");
        return peer.Record.SandboxKey is { Length: > 0 } key ? key : $"/proc/{peer.Record.State.Pid}/ns/net";
    }

    /// <summary>Docker creates a missing working directory (owned by root) before the process starts.</summary>
    static void EnsureWorkingDirectory(string rootfs, string? workingDir)
    {
        if (string.IsNullOrEmpty(workingDir) || workingDir == "/")
            return;
        if (!workingDir.StartsWith('/'))
            throw EngineException.Invalid($"the working directory '{workingDir}' is invalid, it needs to be an absolute path");
        // Resolved inside the root (openat2 RESOLVE_IN_ROOT): an image's symlink on the way cannot make the daemon
        // create directories on the host.
        int rootFd = Berth.Build.Copy.RootFiles.OpenDirectory(rootfs);
        try
        {
            FilesAt.Close(Berth.Build.Copy.RootFiles.MakeDirectories(rootFd, Berth.Images.GoPath.Clean(workingDir).TrimStart('/'), (0, 0), out _));
        }
        catch (Berth.Build.Context.BuildContextException e)
        {
            throw EngineException.Invalid($"the working directory '{workingDir}' cannot be made: {e.Message}");
        }
        finally
        {
            FilesAt.Close(rootFd);
        }
    }

    /// <summary>
    /// Unmounts the bundle's rootfs and removes the bundle, never recursively through the rootfs: if
    /// the unmount failed, the container's files stay untouched.
    /// </summary>
    static void RemoveBundle(string bundle)
    {
        string rootfs = Path.Combine(bundle, "rootfs");
        if (Directory.Exists(rootfs))
            Mounts.TryUnmount(rootfs, UnmountFlags.Detach);
        try
        {
            File.Delete(Path.Combine(bundle, "config.json"));
            if (Directory.Exists(rootfs))
                Directory.Delete(rootfs, recursive: false);
            if (Directory.Exists(bundle))
                Directory.Delete(bundle, recursive: false);
        }
        catch (IOException)
        {
            // Still mounted or not empty: left for the next start to reuse.
        }
    }

    static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A mount still busy: the next start or the engine's restore removes it.
        }
    }
}
