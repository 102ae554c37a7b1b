using Berth.Linux;
using Berth.Oci;
using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Init;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Containers;

/// <summary>
/// `create`: validates the bundle, claims the id, makes the cgroup and the exec fifo, starts init
/// and leaves it waiting for `start`. Whatever fails, everything made so far is undone.
/// </summary>
internal static class ContainerCreator
{
    public static Container Create(ContainerStore store, CreateOptions options)
    {
        ContainerStore.ValidateId(options.Id);
        string bundle = Path.GetFullPath(options.Bundle ?? Directory.GetCurrentDirectory());
        var (specJson, spec) = ReadSpec(bundle);
        SpecValidator.Validate(spec, bundle);
        var seccompProgram = spec.Linux?.Seccomp is { } seccomp
            ? Seccomp.SeccompFilter.Compile(seccomp, store.SeccompCacheDirectory, canDeliverNotifyFd: true) : null;
        var process = spec.Process!;
        if (process.Terminal && options.ConsoleSocket is null && options.ConsoleSocketHandle is null)
            throw RuntimeError.Invalid("cannot allocate tty if runc will detach without setting console socket");
        if (!process.Terminal && (options.ConsoleSocket is not null || options.ConsoleSocketHandle is not null))
            throw RuntimeError.Invalid("cannot use console socket if runc will not detach or allocate tty");

        var reservation = store.Reserve(options.Id);
        ICgroupManager? cgroup = null;
        try
        {
            using var _ = reservation;
            string rootfs = SpecValidator.RootfsPath(spec, bundle);
            var linux = spec.Linux!;
            cgroup = CgroupManagers.ForNew(linux.CgroupsPath, options.Id);
            cgroup.Create();
            cgroup.Apply(linux.Resources);

            string fifoPath = store.ExecFifoOf(options.Id);
            // Writable by anyone (past the umask): init opens it after dropping to the container's user.
            Files.MakeFifo(fifoPath, FileModes.Octal(622));
            File.SetUnixFileMode(fifoPath, (UnixFileMode)FileModes.Octal(622));
            using var fifo = Files.Open(fifoPath, OpenFlags.Path);
            using var consoleSocket = options.ConsoleSocketHandle is null && options.ConsoleSocket is not null
                ? ConnectConsole(options.ConsoleSocket) : null;

            var namespaces = (linux.Namespaces ?? []).Select(n => (SpecValidator.ToKind(n.Type), n.Path)).ToList();
            bool newUserNs = namespaces.Any(n => n.Item1 == NamespaceKind.User && string.IsNullOrEmpty(n.Path));
            var record = new ContainerRecord
            {
                Id = options.Id,
                Bundle = bundle,
                Rootfs = rootfs,
                Created = DateTimeOffset.UtcNow,
                OwnerUid = Processes.EffectiveUserId,
                Annotations = spec.Annotations,
                Cgroup = cgroup.Record,
                OwnPidNamespace = namespaces.Any(n => n.Item1 == NamespaceKind.Pid),
                Rootless = Processes.EffectiveUserId != 0,
            };
            var config = new InitConfig
            {
                ContainerId = options.Id,
                Bundle = bundle,
                Spec = spec,
                SpecJson = specJson,
                SeccompProgram = seccompProgram,
                Rootfs = rootfs,
                NoPivot = options.NoPivot,
                NoNewKeyring = options.NoNewKeyring,
                PreserveFds = options.PreserveFds,
                NewMountNamespace = Creates(namespaces, NamespaceKind.Mount),
                NewNetworkNamespace = Creates(namespaces, NamespaceKind.Network),
                NewUtsNamespace = Creates(namespaces, NamespaceKind.Uts),
                NewUserNamespace = newUserNs,
                NewCgroupNamespace = Creates(namespaces, NamespaceKind.Cgroup),
                InUserNamespace = namespaces.Any(n => n.Item1 == NamespaceKind.User),
                CgroupMounts = cgroup.MountSources.ToList(),
                HasCreateRuntimeHooks = spec.Hooks?.Prestart is { Count: > 0 } || spec.Hooks?.CreateRuntime is { Count: > 0 },
            };
            int pid = InitLauncher.Launch(new LaunchRequest
            {
                Config = config,
                Namespaces = namespaces,
                UidMappings = linux.UidMappings,
                GidMappings = linux.GidMappings,
                TimeOffsets = linux.TimeOffsets,
                OomScoreAdj = process.OomScoreAdj,
                Cgroup = cgroup,
                ConsoleSocket = options.ConsoleSocketHandle ?? consoleSocket,
                ExecFifo = fifo,
                CreateRuntimeHooks = initPid =>
                {
                    var state = HookStates.For(options.Id, ContainerStatus.Creating, initPid, bundle, spec.Annotations);
                    HookRunner.RunAll(spec.Hooks?.Prestart, "prestart", state);
                    HookRunner.RunAll(spec.Hooks?.CreateRuntime, "createRuntime", state);
                },
            });
            record.Pid = pid;
            record.PidStartTime = Processes.StartTime(pid) ?? 0;
            store.SaveSpec(options.Id, specJson);
            store.Save(record);
            if (options.PidFile is not null)
                WritePidFile(options.PidFile, pid);
            return new Container(store, record, spec);
        }
        catch
        {
            try
            {
                cgroup?.Destroy();
            }
            catch (Exception)
            {
                // The first error is the one to report.
            }
            store.Remove(options.Id);
            throw;
        }
    }

    static bool Creates(List<(NamespaceKind Kind, string? Path)> namespaces, NamespaceKind kind)
        => namespaces.Any(n => n.Kind == kind && string.IsNullOrEmpty(n.Path));

    /// <summary>config.json as bytes (handed on to init and kept in the state directory) and as a spec.</summary>
    static (byte[] Json, RuntimeSpec Spec) ReadSpec(string bundle)
    {
        string path = Path.Combine(bundle, "config.json");
        try
        {
            byte[] json;
            try
            {
                json = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return (Array.Empty<byte>(), OciJson.ReadSpec(path)); // OciJson words the missing file
            }
            return (json, OciJson.ReadSpec(json));
        }
        catch (OciFormatException e)
        {
            throw new RuntimeError(ErrorKind.InvalidArgument, e.Message, e);
        }
    }

    static SafeFileHandle ConnectConsole(string path)
    {
        try
        {
            return UnixSockets.Connect(path);
        }
        catch (LinuxException e)
        {
            throw new RuntimeError(ErrorKind.InvalidArgument, $"--console-socket: {e.Message}", e);
        }
    }

    /// <summary>Written through a temporary file and rename, as runc does: a reader never sees it half-written.</summary>
    public static void WritePidFile(string path, int pid)
    {
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full));
        File.WriteAllText(temp, pid.ToString());
        File.Move(temp, full, overwrite: true);
    }
}
