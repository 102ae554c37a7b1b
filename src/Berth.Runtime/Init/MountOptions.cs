using Berth.Linux;

namespace Berth.Runtime.Init;

/// <summary>A spec mount's options split as runc splits them: mount flags, propagation, recursive
/// attributes, and the rest joined as the file system's data string.</summary>
public sealed record MountOptions(MountFlags Flags, MountFlags ClearedFlags, IReadOnlyList<MountFlags> Propagation, MountFlags RecursiveSet, MountFlags RecursiveClear, string Data)
{
    public bool IsBind => (Flags & MountFlags.Bind) != 0;

    public bool IsRecursiveBind => IsBind && (Flags & MountFlags.Recursive) != 0;

    /// <summary>tmpcopyup: a tmpfs starts with the content of the directory it covers (runc's extension).</summary>
    public bool CopyUp { get; init; }

    /// <summary>runc's extensions: options that are neither mount flags nor file-system data.</summary>
    static readonly HashSet<string> Extensions = new(StringComparer.Ordinal) { "tmpcopyup" };

    static readonly Dictionary<string, (bool Clear, MountFlags Flag)> Table = new(StringComparer.Ordinal)
    {
        ["acl"] = (false, MountFlags.PosixAcl),
        ["noacl"] = (true, MountFlags.PosixAcl),
        ["async"] = (true, MountFlags.Synchronous),
        ["atime"] = (true, MountFlags.NoAtime),
        ["bind"] = (false, MountFlags.Bind),
        ["defaults"] = (false, MountFlags.None),
        ["dev"] = (true, MountFlags.NoDev),
        ["diratime"] = (true, MountFlags.NoDirAtime),
        ["dirsync"] = (false, MountFlags.DirSync),
        ["exec"] = (true, MountFlags.NoExec),
        ["iversion"] = (false, (MountFlags)(1 << 23)),
        ["noiversion"] = (true, (MountFlags)(1 << 23)),
        ["lazytime"] = (false, MountFlags.LazyTime),
        ["nolazytime"] = (true, MountFlags.LazyTime),
        ["loud"] = (true, MountFlags.Silent),
        ["mand"] = (false, MountFlags.Mandlock),
        ["nomand"] = (true, MountFlags.Mandlock),
        ["noatime"] = (false, MountFlags.NoAtime),
        ["nodev"] = (false, MountFlags.NoDev),
        ["nodiratime"] = (false, MountFlags.NoDirAtime),
        ["noexec"] = (false, MountFlags.NoExec),
        ["norelatime"] = (true, MountFlags.RelAtime),
        ["nostrictatime"] = (true, MountFlags.StrictAtime),
        ["nosuid"] = (false, MountFlags.NoSuid),
        ["nosymfollow"] = (false, MountFlags.NoSymFollow),
        ["symfollow"] = (true, MountFlags.NoSymFollow),
        ["rbind"] = (false, MountFlags.Bind | MountFlags.Recursive),
        ["relatime"] = (false, MountFlags.RelAtime),
        ["remount"] = (false, MountFlags.Remount),
        ["ro"] = (false, MountFlags.ReadOnly),
        ["rw"] = (true, MountFlags.ReadOnly),
        ["silent"] = (false, MountFlags.Silent),
        ["strictatime"] = (false, MountFlags.StrictAtime),
        ["suid"] = (true, MountFlags.NoSuid),
        ["sync"] = (false, MountFlags.Synchronous),
    };

    static readonly Dictionary<string, MountFlags> PropagationTable = new(StringComparer.Ordinal)
    {
        ["private"] = MountFlags.Private,
        ["rprivate"] = MountFlags.Private | MountFlags.Recursive,
        ["shared"] = MountFlags.Shared,
        ["rshared"] = MountFlags.Shared | MountFlags.Recursive,
        ["slave"] = MountFlags.Slave,
        ["rslave"] = MountFlags.Slave | MountFlags.Recursive,
        ["unbindable"] = MountFlags.Unbindable,
        ["runbindable"] = MountFlags.Unbindable | MountFlags.Recursive,
    };

    /// <summary>Recursive attributes (mount_setattr): rro, rrw, rnosuid, ... as runc 1.1 accepts them.</summary>
    static readonly Dictionary<string, (bool Clear, MountFlags Flag)> RecursiveTable = new(StringComparer.Ordinal)
    {
        ["rro"] = (false, MountFlags.ReadOnly),
        ["rrw"] = (true, MountFlags.ReadOnly),
        ["rnosuid"] = (false, MountFlags.NoSuid),
        ["rsuid"] = (true, MountFlags.NoSuid),
        ["rnodev"] = (false, MountFlags.NoDev),
        ["rdev"] = (true, MountFlags.NoDev),
        ["rnoexec"] = (false, MountFlags.NoExec),
        ["rexec"] = (true, MountFlags.NoExec),
        ["rnoatime"] = (false, MountFlags.NoAtime),
        ["ratime"] = (true, MountFlags.NoAtime),
        ["rnodiratime"] = (false, MountFlags.NoDirAtime),
        ["rdiratime"] = (true, MountFlags.NoDirAtime),
        ["rnosymfollow"] = (false, MountFlags.NoSymFollow),
        ["rsymfollow"] = (true, MountFlags.NoSymFollow),
    };

    public static MountOptions Parse(IEnumerable<string>? options)
    {
        MountFlags flags = 0, cleared = 0, rset = 0, rclear = 0;
        var propagation = new List<MountFlags>();
        var data = new List<string>();
        bool copyUp = false;
        foreach (var option in options ?? [])
        {
            if (Extensions.Contains(option))
                copyUp = true;
            else if (Table.TryGetValue(option, out var entry))
            {
                if (entry.Clear)
                {
                    flags &= ~entry.Flag;
                    cleared |= entry.Flag;
                }
                else
                {
                    flags |= entry.Flag;
                    cleared &= ~entry.Flag;
                }
            }
            else if (PropagationTable.TryGetValue(option, out var p))
                propagation.Add(p);
            else if (RecursiveTable.TryGetValue(option, out var r))
            {
                if (r.Clear)
                {
                    rclear |= r.Flag;
                    rset &= ~r.Flag;
                }
                else
                {
                    rset |= r.Flag;
                    rclear &= ~r.Flag;
                }
            }
            else if (option.Length > 0)
                data.Add(option);
        }
        return new MountOptions(flags, cleared, propagation, rset, rclear, string.Join(',', data)) { CopyUp = copyUp };
    }

    /// <summary>Whether the option is one this runtime understands as a flag rather than file-system data.</summary>
    public static bool IsKnown(string option) => Table.ContainsKey(option) || PropagationTable.ContainsKey(option) || RecursiveTable.ContainsKey(option) || Extensions.Contains(option);

    public static IEnumerable<string> AllKnown => Table.Keys.Concat(PropagationTable.Keys).Concat(RecursiveTable.Keys).Concat(Extensions);
}
