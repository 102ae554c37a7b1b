using System.Text;
using Berth.Linux;

namespace Berth.Runtime.Cli;

/// <summary>`ps`'s table: the host's ps output, filtered to the container's processes (runc runs ps the same way).</summary>
internal static class PsTable
{
    public static string Filter(IReadOnlyList<string> psArgs, IReadOnlyList<int> pids)
    {
        var (read, write) = Files.Pipe();
        int child;
        using (write)
        {
            var args = new List<string> { "ps" };
            args.AddRange(psArgs);
            string ps = new[] { "/bin/ps", "/usr/bin/ps" }.FirstOrDefault(File.Exists)
                ?? throw new RuntimeError(ErrorKind.Unsupported, "ps: the ps command (procps) is not installed");
            child = Processes.Spawn(new SpawnOptions
            {
                Path = ps,
                Args = args,
                Files = new Dictionary<int, int> { [0] = 0, [1] = (int)write.DangerousGetHandle(), [2] = 2 },
            });
        }
        var output = new MemoryStream();
        using (read)
        {
            var buffer = new byte[16384];
            int n;
            while ((n = Files.Read(read, buffer)) > 0)
                output.Write(buffer, 0, n);
        }
        var status = Processes.Wait(child);
        if (status is { } s && (s.Signaled || s.Code != 0))
            throw new RuntimeError(ErrorKind.InvalidArgument, $"ps: exit status {s.ShellCode}: {Encoding.UTF8.GetString(output.ToArray())}");
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
            return "";
        int pidColumn = Array.IndexOf(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), "PID");
        if (pidColumn < 0)
            throw new RuntimeError(ErrorKind.InvalidArgument, "couldn't find PID field in ps output");
        var set = new HashSet<int>(pids);
        var result = new StringBuilder(lines[0]).Append('\n');
        foreach (var l in lines.Skip(1))
        {
            var fields = l.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > pidColumn && int.TryParse(fields[pidColumn], out int pid) && set.Contains(pid))
                result.Append(l).Append('\n');
        }
        return result.ToString();
    }
}
