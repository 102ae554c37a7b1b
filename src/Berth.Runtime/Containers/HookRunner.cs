using System.Text;
using Berth.Linux;
using Berth.Oci;
using Berth.Oci.Runtime;
using OciHook = Berth.Oci.Runtime.Hook;

namespace Berth.Runtime.Containers;

/// <summary>
/// Runs OCI hooks: each hook's executable with its args and env, the container's state JSON on
/// stdin, killed after its timeout; a failing hook fails the operation with its output.
/// </summary>
internal static class HookRunner
{
    public static void RunAll(IReadOnlyList<OciHook>? hooks, string kind, HookState state)
    {
        if (hooks is null || hooks.Count == 0)
            return;
        byte[] stateJson = OciJson.WriteCompact(state);
        for (int i = 0; i < hooks.Count; i++)
        {
            try
            {
                Run(hooks[i], stateJson);
            }
            catch (RuntimeError e)
            {
                throw new RuntimeError(e.Kind, $"{kind} hook #{i}: {e.Message}", e);
            }
        }
    }

    /// <summary>Like <see cref="RunAll"/>, but goes on after a failure (poststart, poststop), returning the errors.</summary>
    public static List<string> RunAllReportingErrors(IReadOnlyList<OciHook>? hooks, string kind, HookState state)
    {
        var errors = new List<string>();
        if (hooks is null)
            return errors;
        byte[] stateJson = OciJson.WriteCompact(state);
        for (int i = 0; i < hooks.Count; i++)
        {
            try
            {
                Run(hooks[i], stateJson);
            }
            catch (RuntimeError e)
            {
                errors.Add($"{kind} hook #{i}: {e.Message}");
            }
        }
        return errors;
    }

    static void Run(OciHook hook, byte[] stateJson)
    {
        if (string.IsNullOrEmpty(hook.Path))
            throw RuntimeError.Invalid("hook path is empty");
        var (stdinRead, stdinWrite) = Files.Pipe();
        var (outRead, outWrite) = Files.Pipe();
        int pid;
        using (stdinRead)
        using (outWrite)
        {
            pid = Processes.Spawn(new SpawnOptions
            {
                Path = hook.Path,
                Args = hook.Args is { Count: > 0 } ? hook.Args : [hook.Path],
                Environment = hook.Env ?? [],
                Files = new Dictionary<int, int>
                {
                    [0] = (int)stdinRead.DangerousGetHandle(),
                    [1] = (int)outWrite.DangerousGetHandle(),
                    [2] = (int)outWrite.DangerousGetHandle(),
                },
            });
        }
        using (stdinWrite)
        {
            try
            {
                Files.WriteAll(stdinWrite, stateJson);
            }
            catch (LinuxException e) when (e.Errno == Errno.EPIPE)
            {
                // A hook need not read its stdin.
            }
        }
        var output = new MemoryStream();
        var deadline = hook.Timeout is > 0 ? DateTime.UtcNow.AddSeconds(hook.Timeout.Value) : DateTime.MaxValue;
        bool timedOut = false;
        using (outRead)
        {
            var buffer = new byte[4096];
            while (true)
            {
                int wait = deadline == DateTime.MaxValue ? -1 : (int)Math.Max(0, (deadline - DateTime.UtcNow).TotalMilliseconds);
                if (!Files.WaitReadable(outRead, wait))
                {
                    timedOut = true;
                    Processes.TryKill(pid, Signals.SIGKILL);
                    break;
                }
                int n = Files.Read(outRead, buffer);
                if (n == 0)
                    break;
                if (output.Length < 64 * 1024)
                    output.Write(buffer, 0, n);
            }
        }
        var status = Processes.Wait(pid);
        if (timedOut)
            throw new RuntimeError(ErrorKind.Internal, $"error running hook {hook.Path}: timeout after {hook.Timeout}s");
        if (status is { } s && (s.Signaled || s.Code != 0))
        {
            string text = Encoding.UTF8.GetString(output.ToArray()).Trim();
            string how = s.Signaled ? $"signal: {Signals.Name(s.Signal)}" : $"exit status {s.Code}";
            throw new RuntimeError(ErrorKind.Internal, $"error running hook {hook.Path}: {how}, output: {text}");
        }
    }
}

/// <summary>The state handed to hooks (OCI runtime spec "state").</summary>
internal static class HookStates
{
    public static HookState For(string id, string status, int pid, string bundle, Dictionary<string, string>? annotations) => new()
    {
        OciVersion = RuntimeInfo.OciVersion,
        Id = id,
        Status = status,
        Pid = pid,
        Bundle = bundle,
        Annotations = annotations,
    };

    public static HookState Creating(Init.InitConfig config)
        => For(config.ContainerId, ContainerStatus.Creating, config.HostPid, config.Bundle, config.Spec.Annotations);

    public static HookState Created(Init.InitConfig config)
        => For(config.ContainerId, ContainerStatus.Created, config.HostPid, config.Bundle, config.Spec.Annotations);
}
