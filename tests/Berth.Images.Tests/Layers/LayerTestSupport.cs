using System.Diagnostics;

namespace Berth.Images.Tests.Layers;

/// <summary>
/// A scratch directory /tmp/berth-test-layers-&lt;random&gt; for one test: anything mounted below it
/// is unmounted and everything removed on dispose, also after a failure.
/// </summary>
public sealed class ScratchDir : IDisposable
{
    public ScratchDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"berth-test-layers-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A new empty directory below the scratch directory.</summary>
    public string Dir(string name)
    {
        string path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        // Mounts first (deepest first), so that rm never walks into a lower layer through a mount.
        var mounts = System.IO.File.ReadAllLines("/proc/self/mounts")
            .Select(l => l.Split(' ')[1].Replace("\\040", " "))
            .Where(m => m.StartsWith(Path + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.Length);
        foreach (var m in mounts)
            Sh.Run($"umount -l '{m}'");
        Sh.Run($"chattr -R -i '{Path}' 2>/dev/null; rm -rf '{Path}'");
    }
}

/// <summary>Runs shell commands for tests (bash -c), with their output captured.</summary>
public static class Sh
{
    public static (int Code, string Stdout, string Stderr) Run(string script, string? stdinFile = null)
    {
        var info = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(stdinFile is null ? script : $"({script}) < '{stdinFile}'");
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"timed out: {script}");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    public static string Ok(string script)
    {
        var (code, stdout, stderr) = Run(script);
        if (code != 0)
            Assert.Fail($"command failed ({code}): {script}\n{stdout}\n{stderr}");
        return stdout;
    }
}

/// <summary>
/// A description of a tree, one line per entry, made by Python (not by the code under test): type,
/// mode, owner, content digest, link target, device, mtime, xattrs, hard-link structure. Two trees
/// are the same when their snapshots are.
/// </summary>
public static class TreeSnapshot
{
    const string Script = """
import os, sys, hashlib, stat
root, precision, skip = sys.argv[1], sys.argv[2], [s for s in sys.argv[3].split(',') if s]
paths = []
for d, dirs, files in os.walk(root):
    for n in dirs + files:
        paths.append(os.path.join(d, n))
paths.sort(key=lambda p: os.fsencode(p))
seen = {}
for p in paths:
    st = os.lstat(p)
    rel = os.fsencode(os.path.relpath(p, root)).decode('utf-8', 'backslashreplace')
    m = st.st_mode
    line = [rel, 'type=%o' % stat.S_IFMT(m), 'mode=%o' % stat.S_IMODE(m), 'owner=%d:%d' % (st.st_uid, st.st_gid)]
    if stat.S_ISREG(m):
        h = hashlib.sha256()
        with open(p, 'rb') as f:
            for chunk in iter(lambda: f.read(1 << 20), b''):
                h.update(chunk)
        line.append('size=%d sha=%s' % (st.st_size, h.hexdigest()[:16]))
    if stat.S_ISLNK(m):
        line.append('link=' + os.fsencode(os.readlink(p)).decode('utf-8', 'backslashreplace'))
    if stat.S_ISCHR(m) or stat.S_ISBLK(m):
        line.append('rdev=%d,%d' % (os.major(st.st_rdev), os.minor(st.st_rdev)))
    if precision == 'ns':
        line.append('mtime=%d' % st.st_mtime_ns)
    elif precision == 's':
        line.append('mtime=%d' % (st.st_mtime_ns // 1000000000))
    elif precision == 'files-ns' and not stat.S_ISDIR(m):
        line.append('mtime=%d' % st.st_mtime_ns)
    if not stat.S_ISDIR(m):
        line.append('nlink=%d' % st.st_nlink)
        if st.st_nlink > 1 and not (stat.S_ISCHR(m) and st.st_rdev == 0):
            key = (st.st_dev, st.st_ino)
            if key in seen:
                line.append('same-as=' + seen[key])
            else:
                seen[key] = rel
    try:
        names = sorted(os.listxattr(p, follow_symlinks=False))
    except OSError:
        names = []
    for n in names:
        if any(n.startswith(s) for s in skip):
            continue
        line.append('xattr:%s=%s' % (n, os.getxattr(p, n, follow_symlinks=False).hex()))
    print(' '.join(line))
""";

    /// <summary>
    /// The snapshot of the tree below <paramref name="root"/>; <paramref name="mtimes"/> is "ns",
    /// "s" (whole seconds), "files-ns" (not directories) or "none"; xattrs starting with a prefix in
    /// <paramref name="skipXattrs"/> are left out.
    /// </summary>
    public static string Of(string root, string mtimes = "ns", params string[] skipXattrs)
    {
        string script = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "berth-test-layers-snapshot.py");
        if (!File.Exists(script) || File.ReadAllText(script) != Script)
            File.WriteAllText(script, Script);
        return Sh.Ok($"python3 '{script}' '{root}' {mtimes} '{string.Join(',', skipXattrs)}'");
    }
}
