using System.Diagnostics;

namespace Berth.Linux.Cgroups;

/// <summary>
/// Freezing and thawing every process of a cgroup: the v1 freezer controller (freezer.state) or
/// the v2 core (cgroup.freeze, with the outcome in cgroup.events).
/// </summary>
public static class Freezer
{
    public const string Frozen = "FROZEN", Freezing = "FREEZING", Thawed = "THAWED";

    /// <summary>
    /// Writes FROZEN until freezer.state reads FROZEN. A v1 cgroup whose processes keep forking can
    /// stay FREEZING; as runc does, it is thawed now and then and tried again, and thawed when it
    /// gives up, so that no cgroup is left half frozen.
    /// </summary>
    public static void FreezeV1(string dir)
    {
        for (int i = 0; i < 1000; i++)
        {
            if (i % 50 == 49)
            {
                CgroupFiles.TryWrite(dir, "freezer.state", Thawed);
                Thread.Sleep(10);
            }
            CgroupFiles.Write(dir, "freezer.state", Frozen);
            if (i % 25 == 24)
                Thread.Sleep(1);
            string state = StateV1(dir);
            if (state == Frozen)
                return;
            if (state != Freezing)
                throw new InvalidOperationException($"{Path.Join(dir, "freezer.state")}: unexpected state {state} while freezing");
        }
        CgroupFiles.TryWrite(dir, "freezer.state", Thawed);
        throw new TimeoutException($"{Path.Join(dir, "freezer.state")}: the cgroup stayed {Freezing}; thawed it again");
    }

    public static void ThawV1(string dir) => CgroupFiles.Write(dir, "freezer.state", Thawed);

    /// <summary>THAWED, FREEZING or FROZEN.</summary>
    public static string StateV1(string dir) => CgroupFiles.Read(dir, "freezer.state").Trim();

    /// <summary>Writes 1 to cgroup.freeze and waits until cgroup.events says frozen; thaws and throws after the timeout.</summary>
    public static void FreezeV2(string dir, TimeSpan timeout)
    {
        CgroupFiles.Write(dir, "cgroup.freeze", "1");
        var clock = Stopwatch.StartNew();
        int delayMs = 1;
        while (!IsFrozenV2(dir))
        {
            if (clock.Elapsed >= timeout)
            {
                CgroupFiles.TryWrite(dir, "cgroup.freeze", "0");
                throw new TimeoutException($"{Path.Join(dir, "cgroup.events")}: not frozen after {timeout.TotalSeconds:0.#} s; thawed it again");
            }
            Thread.Sleep(delayMs);
            delayMs = Math.Min(delayMs * 2, 10);
        }
    }

    public static void ThawV2(string dir) => CgroupFiles.Write(dir, "cgroup.freeze", "0");

    /// <summary>Whether cgroup.events has "frozen 1" (the cgroup and all below it are stopped).</summary>
    public static bool IsFrozenV2(string dir)
        => CgroupFiles.TryRead(dir, "cgroup.events", out string events)
           && CgroupFiles.ParseKeyValues(events).TryGetValue("frozen", out ulong frozen) && frozen == 1;
}
