using System.Text;
using System.Text.Json;
using Berth.Linux;
using Berth.Oci;
using Berth.Oci.Runtime;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Cli;

internal static partial class Commands
{
    public static int State(GlobalOptions global, IReadOnlyList<string> args, int start)
    {
        string id = SingleId(CommandLine.Parse(args, start, []), "state");
        var container = Container.Load(global.Store, id);
        Output.Write(OciJson.WriteIndented(container.State(), ' ', 2));
        Output.Write("\n"u8);
        return 0;
    }

    static readonly Flag[] ListFlags = [new("format", TakesValue: true, Alias: "f", Default: "table"), new("quiet", Alias: "q")];

    public static int List(GlobalOptions global, IReadOnlyList<string> args, int start)
    {
        var line = CommandLine.Parse(args, start, ListFlags);
        var store = global.Store;
        var states = new List<(ContainerState State, uint Owner)>();
        foreach (var id in store.List())
        {
            try
            {
                var c = Container.Load(store, id);
                states.Add((c.State(), c.Record.OwnerUid));
            }
            catch (RuntimeError)
            {
                // Deleted meanwhile.
            }
        }
        if (line.Has("quiet"))
        {
            foreach (var (s, _) in states)
                Output.WriteLine(s.Id);
            return 0;
        }
        switch (line.Get("format"))
        {
            case "json":
                var list = states.Select(s => { s.State.Owner = OwnerName(s.Owner); return s.State; }).ToList();
                Output.Write(OciJson.WriteCompact(list));
                Output.Write("\n"u8);
                return 0;
            case "table":
                var rows = new List<string[]> { new[] { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" } };
                foreach (var (s, owner) in states)
                    rows.Add([s.Id, s.Pid.ToString(), s.Status, s.Bundle, GoTime(s.Created), OwnerName(owner)]);
                Output.Write(TabWriter.Format(rows));
                return 0;
            default:
                throw new UsageException($"invalid format option");
        }
    }

    static readonly Flag[] PsFlags = [new("format", TakesValue: true, Alias: "f", Default: "table")];

    public static int Ps(GlobalOptions global, IReadOnlyList<string> args, int start)
    {
        var line = CommandLine.Parse(args, start, PsFlags, interspersed: false, positionalsBeforeStop: 1);
        if (line.Positionals.Count < 1)
            throw new UsageException("\"ps\" requires a minimum of 1 argument(s)");
        var container = Container.Load(global.Store, line.Positionals[0]);
        var pids = container.Pids();
        if (line.Get("format") == "json")
        {
            Output.Write(PidsJson(pids));
            Output.Write("\n"u8);
            return 0;
        }
        if (line.Get("format") != "table")
            throw new UsageException("invalid format option");
        var psArgs = line.Positionals.Count > 1 ? line.Positionals.Skip(1).ToList() : ["-ef"];
        Output.Write(PsTable.Filter(psArgs, pids));
        return 0;
    }

    /// <summary>runc's <c>ps --format json</c>: the pids as a JSON array, <c>[1,2]</c>.</summary>
    static byte[] PidsJson(IReadOnlyList<int> pids)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (int pid in pids)
                w.WriteNumberValue(pid);
            w.WriteEndArray();
        }
        return buffer.ToArray();
    }

    public static int Spec(GlobalOptions global, IReadOnlyList<string> args, int start)
    {
        var line = CommandLine.Parse(args, start, [new("bundle", TakesValue: true, Alias: "b"), new("rootless")]);
        string dir = line.Get("bundle") ?? Directory.GetCurrentDirectory();
        string path = Path.Combine(dir, "config.json");
        if (File.Exists(path))
            throw RuntimeError.Invalid("File config.json exists. Remove it first.");
        File.WriteAllBytes(path, OciJson.WriteIndented(DefaultSpec.Create(line.Has("rootless"))));
        return 0;
    }

    public static int Features(GlobalOptions global, IReadOnlyList<string> args, int start)
    {
        CommandLine.Parse(args, start, []);
        Output.Write(OciJson.WriteIndented(RuntimeFeatures.Describe(), ' ', 4));
        Output.Write("\n"u8);
        return 0;
    }

    static string OwnerName(uint uid)
    {
        try
        {
            foreach (var l in File.ReadLines("/etc/passwd"))
            {
                var f = l.Split(':');
                if (f.Length > 2 && f[2] == uid.ToString())
                    return f[0];
            }
        }
        catch (IOException)
        {
        }
        return "#" + uid;
    }

    /// <summary>Go's time.RFC3339Nano: trailing zeros of the fraction dropped.</summary>
    static string GoTime(DateTimeOffset t)
    {
        var utc = t.UtcDateTime;
        string fraction = (utc.Ticks % TimeSpan.TicksPerSecond).ToString("D7").TrimEnd('0');
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss") + (fraction.Length > 0 ? "." + fraction : "") + "Z";
    }
}
