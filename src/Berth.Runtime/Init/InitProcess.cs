using System.Text;
using Berth.Linux;
using Berth.Oci;
using Berth.Oci.Runtime;
using Berth.Runtime.Containers;
using Berth.Runtime.Seccomp;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Init;

/// <summary>
/// The C# half of a container's first process (and of every exec'd process): it runs after
/// nsenter.c has placed it in its namespaces, builds the container from the inside, reports
/// ready, waits for `start` on the exec fifo and becomes the user's program with execve.
/// </summary>
internal static class InitProcess
{
    public static int Run(int pipeFd)
    {
        Files.SetCloseOnExec(pipeFd, true);
        using var channel = new InitChannel(new SafeFileHandle(pipeFd, ownsHandle: true));
        try
        {
            var config = InitConfigJson.Read(Expect(channel, Frame.InitConfig));
            config.Spec = OciJson.ReadSpec(Expect(channel, Frame.InitSpec));
            if (config.ProcessJson is not null)
                config.Spec.Process = OciJson.Read<Oci.Runtime.Process>(Expect(channel, Frame.InitProcess), "process.json");
            if (config.SeccompProgram is not null)
                config.SeccompProgram = SeccompProgram.Deserialize(Expect(channel, Frame.InitSeccompProgram))
                    ?? throw new InvalidOperationException("init pipe: a malformed seccomp program");
            if (config.IsExec)
                RunExec(config, channel);
            else
                RunInit(config, channel);
            return 0; // not reached: both end in execve
        }
        catch (Exception e)
        {
            try
            {
                channel.Send(Frame.Error, Encoding.UTF8.GetBytes(Describe(e)));
            }
            catch (Exception)
            {
                // After `create` returned nobody listens on the pipe: the container's stderr is all that is left.
                using var stderr = new SafeFileHandle(2, ownsHandle: false);
                try
                {
                    Files.WriteAll(stderr, Encoding.UTF8.GetBytes($"{RuntimeInfo.Name}: {Describe(e)}\n"));
                }
                catch (LinuxException)
                {
                }
            }
            return 1;
        }
    }

    static byte[] Expect(InitChannel channel, Frame type)
    {
        var frame = channel.Receive() ?? throw new InvalidOperationException($"init pipe closed before {type} arrived");
        if (frame.Type != type)
            throw new InvalidOperationException($"init pipe: expected {type}, got {frame.Type}");
        return frame.Payload;
    }

    static string Describe(Exception e) => e is RuntimeError or LinuxException ? e.Message : $"{e.GetType().Name}: {e.Message}";

    static void RunInit(InitConfig config, InitChannel channel)
    {
        var spec = config.Spec;
        var process = spec.Process ?? throw RuntimeError.Invalid("process: missing");
        Processes.NewSession();
        if (config.NewNetworkNamespace)
            Loopback.Up();

        using var rootfs = new Rootfs(config);
        rootfs.Prepare();
        if (config.HasCreateRuntimeHooks)
        {
            channel.Send(Frame.CreateRuntimeHooks);
            var reply = channel.Receive();
            if (reply?.Type != Frame.CreateRuntimeHooksDone)
                throw new InvalidOperationException("runtime did not finish the createRuntime hooks");
        }
        HookRunner.RunAll(spec.Hooks?.CreateContainer, "createContainer", HookStates.Creating(config));
        rootfs.Enter();

        if (process.Terminal)
            ConsoleSetup.Create(config.ConsoleSocketFd, process.ConsoleSize?.Height, process.ConsoleSize?.Width, mountDevConsole: true);

        rootfs.Finish();
        if (!string.IsNullOrEmpty(spec.Hostname))
            Hostnames.SetHostname(spec.Hostname);
        if (!string.IsNullOrEmpty(spec.Domainname))
            Hostnames.SetDomainname(spec.Domainname);
        // Before the read-only paths: /proc/sys is one of them.
        foreach (var (key, value) in spec.Linux?.Sysctl ?? [])
            Files.WriteText("/proc/sys/" + key.Replace('.', '/'), value);
        rootfs.ProtectPaths();

        if (!config.NoNewKeyring)
            Keyrings.JoinNewSession(config.ContainerId);

        var (path, env, seccompAtExec) = PrepareProcess(config, process, channel);

        channel.Send(Frame.Ready);
        using var started = WaitForStart(config.ExecFifoFd);
        HookRunner.RunAll(spec.Hooks?.StartContainer, "startContainer", HookStates.Created(config));
        Exec(process, path, env, config.PreserveFds, seccompAtExec);
    }

    static void RunExec(InitConfig config, InitChannel channel)
    {
        var process = config.Spec.Process ?? throw RuntimeError.Invalid("process: missing");
        Processes.NewSession();
        if (process.Terminal)
            ConsoleSetup.Create(config.ConsoleSocketFd, process.ConsoleSize?.Height, process.ConsoleSize?.Width, mountDevConsole: false);
        var (path, env, seccompAtExec) = PrepareProcess(config, process, channel);
        channel.Send(Frame.Ready);
        Exec(process, path, env, config.PreserveFds, seccompAtExec);
    }

    /// <summary>
    /// Everything that needs privileges: rlimits, seccomp without no_new_privs, user and capabilities, cwd. Returns
    /// what <see cref="Exec"/> still has to load: the seccomp filter, when no_new_privs lets it wait until then.
    /// </summary>
    static (string Path, List<string> Env, Action? SeccompAtExec) PrepareProcess(InitConfig config, Oci.Runtime.Process process, InitChannel channel)
    {
        if (process.Args is not { Count: > 0 })
            throw RuntimeError.Invalid("process.args: must not be empty");
        ProcessSetup.SetRlimits(process);
        if (process.User.Umask is uint umask)
            Credentials.SetUmask(umask);
        else
            Credentials.SetUmask(FileModes.Octal(22));
        var env = ProcessSetup.Environment(process);
        // Without no_new_privs loading needs CAP_SYS_ADMIN: before the capabilities go. With it,
        // as late as possible (in Exec), unless the notify fd must reach the runtime before Ready.
        var seccomp = config.Spec.Linux?.Seccomp;
        var program = config.SeccompProgram;
        // The runtime compiled the filter unless it has SCMP_ACT_NOTIFY (or is empty): libseccomp builds that one here.
        bool notify = program is null && seccomp is not null && SeccompFilter.UsesNotify(seccomp);
        Action? loadSeccomp = program is not null ? program.Install
            : seccomp is not null && !notify ? () => SeccompFilter.Load(seccomp)
            : null;
        if (seccomp is not null && !process.NoNewPrivileges)
        {
            if (notify)
                LoadSeccompWithNotify(seccomp, channel);
            else
                loadSeccomp?.Invoke();
        }
        ProcessSetup.SetUserAndCapabilities(process, setgroupsAllowed: !config.InUserNamespace || SetgroupsAllowed());
        ProcessSetup.ChangeDirectory(process.Cwd);
        // After chdir, as runc: a relative args[0] ("./app") is found in the working directory.
        string path = ProcessSetup.ResolveExecutable(process.Args[0], env);
        if (process.NoNewPrivileges)
            Processes.SetNoNewPrivileges();
        if (seccomp is not null && process.NoNewPrivileges && notify)
            LoadSeccompWithNotify(seccomp, channel);
        return (path, env, process.NoNewPrivileges ? loadSeccomp : null);
    }

    /// <summary>Loads a filter with SCMP_ACT_NOTIFY rules; its notify fd goes to the runtime, which hands it to the listener.</summary>
    static void LoadSeccompWithNotify(LinuxSeccomp seccomp, InitChannel channel)
    {
        using var fd = SeccompFilter.LoadAndTakeNotifyFd(seccomp)!;
        channel.SendDescriptor(Frame.SeccompNotifyFd, fd);
        if (channel.Receive()?.Type != Frame.SeccompNotifyFdDone)
            throw new InvalidOperationException("runtime did not take the seccomp notify fd");
    }

    /// <summary>
    /// Blocks until `start` opens the exec fifo, then tells it so with one byte. The write end stays
    /// open (close-on-exec) until execve succeeds, so `start` sees end-of-file exactly when the
    /// user's program has replaced this process: only then do poststart hooks run.
    /// </summary>
    static SafeFileHandle WaitForStart(int fifoFd)
    {
        using var pathFd = new SafeFileHandle(fifoFd, ownsHandle: true);
        var fifo = Files.Open($"/proc/self/fd/{fifoFd}", OpenFlags.WriteOnly);
        Files.WriteAll(fifo, "0"u8);
        return fifo;
    }

    static void Exec(Oci.Runtime.Process process, string path, List<string> env, int preserveFds, Action? loadSeccomp)
    {
        loadSeccomp?.Invoke();
        Files.CloseOnExecFrom(3 + preserveFds);
        Signals.ResetAll();
        Processes.Exec(path, process.Args!, env);
    }

    static bool SetgroupsAllowed()
    {
        try
        {
            return File.ReadAllText("/proc/self/setgroups").Trim() == "allow";
        }
        catch (IOException)
        {
            return true;
        }
    }
}
