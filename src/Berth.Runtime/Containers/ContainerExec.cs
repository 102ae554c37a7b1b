using Berth.Linux;
using Berth.Oci;
using Berth.Oci.Runtime;
using Berth.Runtime.Init;
using Microsoft.Win32.SafeHandles;
using OciProcess = Berth.Oci.Runtime.Process;

namespace Berth.Runtime.Containers;

internal sealed class ExecOptions
{
    public required OciProcess Process { get; init; }

    public string? ConsoleSocket { get; init; }

    public string? PidFile { get; init; }

    public int PreserveFds { get; init; }

    public bool IgnorePaused { get; init; }
}

/// <summary>`exec`: a new process in every namespace and the cgroup of a running container.</summary>
internal static class ContainerExec
{
    public static int Start(Container container, ExecOptions options, SafeFileHandle? ownConsoleSocket)
    {
        var record = container.Record;
        string status = container.Status();
        if (status == ContainerStatus.Stopped)
            throw RuntimeError.Conflict("cannot exec in a stopped container");
        if (status == ContainerStatus.Paused && !options.IgnorePaused)
            throw RuntimeError.Conflict("cannot exec in a paused container (use --ignore-paused to override)");
        if (options.Process.Terminal && options.ConsoleSocket is null && ownConsoleSocket is null)
            throw RuntimeError.Invalid("cannot allocate tty if runc will detach without setting console socket");

        // The container's spec with this process: its seccomp profile and mounts apply to exec'd processes too.
        var spec = container.Spec;
        spec.Process = options.Process;
        var namespaces = new List<(NamespaceKind, string?)>();
        foreach (var ns in spec.Linux?.Namespaces ?? [])
        {
            var kind = SpecValidator.ToKind(ns.Type);
            namespaces.Add((kind, $"/proc/{record.Pid}/ns/{Namespaces.ProcName(kind)}"));
        }
        using var consoleSocket = ownConsoleSocket is null && options.ConsoleSocket is not null
            ? UnixSockets.Connect(options.ConsoleSocket) : null;
        var config = new InitConfig
        {
            IsExec = true,
            ContainerId = record.Id,
            Bundle = record.Bundle,
            Spec = spec,
            SpecJson = File.ReadAllBytes(container.SpecPath),
            ProcessJson = OciJson.WriteCompact(options.Process),
            SeccompProgram = spec.Linux?.Seccomp is { } seccomp
                ? Seccomp.SeccompFilter.Compile(seccomp, container.SeccompCacheDirectory, canDeliverNotifyFd: true) : null,
            Rootfs = record.Rootfs,
            PreserveFds = options.PreserveFds,
            InUserNamespace = namespaces.Any(n => n.Item1 == NamespaceKind.User),
        };
        int pid = InitLauncher.Launch(new LaunchRequest
        {
            Config = config,
            Namespaces = namespaces,
            OomScoreAdj = options.Process.OomScoreAdj,
            Cgroup = record.Cgroup is { Paths.Count: > 0 } ? container.Cgroup : null,
            ConsoleSocket = ownConsoleSocket ?? consoleSocket,
        });
        if (options.PidFile is not null)
            ContainerCreator.WritePidFile(options.PidFile, pid);
        return pid;
    }
}
