using System.Formats.Tar;
using System.Security.Cryptography;

namespace Berth.TestSupport;

/// <summary>
/// docker cp command lines worth comparing between two CLIs or two daemons, and how to describe what they left:
/// every entry with its type, permission bits, owner, link target and content, never its times. In the command
/// lines <c>{C}</c> stands for the container and <c>{L}</c> for a local directory.
/// </summary>
public static class CopyScenarios
{
    /// <summary>Out of a container (made from the busybox image) into {L}: files, trees, "dir/.", renames, symlinks, errors.</summary>
    public static readonly string[][] Out =
    [
        ["cp", "{C}:/etc/passwd", "{L}/pw"],
        ["cp", "{C}:/etc", "{L}/"],
        ["cp", "{C}:/etc/.", "{L}/contents"],
        ["cp", "{C}:/etc", "{L}/renamed"],
        ["cp", "{C}:/bin/sh", "{L}/sh-link"],
        ["cp", "-L", "{C}:/bin/sh", "{L}/sh-followed"],
        ["cp", "{C}:/", "{L}/whole"],
        ["cp", "{C}:/etc/passwd", "{L}/pw/"],
        ["cp", "{C}:/etc", "{L}/pw"],
        ["cp", "{C}:/no/such", "{L}/"],
        ["cp", "{C}:/etc/passwd/", "{L}/"],
        ["cp", "{C}:/etc/passwd", "{L}/missing/deeper"],
    ];

    /// <summary>Into a container from <see cref="MakeSources"/>' files at {L}: directories, renames, "dir/.", and refusals.</summary>
    public static readonly string[][] In =
    [
        ["cp", "{L}/dir", "{C}:/tmp/"],
        ["cp", "{L}/dir", "{C}:/tmp/renamed"],
        ["cp", "{L}/dir/.", "{C}:/opt"],
        ["cp", "{L}/file", "{C}:/tmp/new-name"],
        ["cp", "{L}/file", "{C}:/tmp/dir/"],
        ["cp", "-a", "{L}/file", "{C}:/root/"],
        ["cp", "{L}/dir", "{C}:/tmp/new-name"],
        ["cp", "{L}/file", "{C}:/tmp/dir/a.txt/"],
        ["cp", "{L}/file", "{C}:/etc/passwd/x"],
        ["cp", "{L}/file", "{C}:/no/such/"],
        ["cp", "{L}/no-such-file", "{C}:/tmp/"],
        ["cp", "{L}/escape", "{C}:/tmp/"],
    ];

    /// <summary>Where <see cref="In"/>'s copies land, to compare afterwards.</summary>
    public static readonly string[] InTargets = ["/tmp", "/opt", "/root"];

    /// <summary>
    /// The local files <see cref="In"/> copies: a directory with a subdirectory, a symlink and an executable, a plain
    /// file, and a directory whose symlink climbs out of it (which docker cp refuses to extract).
    /// </summary>
    public static void MakeSources(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "dir/sub"));
        File.WriteAllText(Path.Combine(root, "dir/a.txt"), "alpha\n");
        File.WriteAllText(Path.Combine(root, "dir/sub/b.sh"), "echo beta\n");
        File.SetUnixFileMode(Path.Combine(root, "dir/sub/b.sh"), (UnixFileMode)Convert.ToInt32("750", 8));
        File.CreateSymbolicLink(Path.Combine(root, "dir/link"), "a.txt");
        File.WriteAllText(Path.Combine(root, "file"), "file\n");
        Directory.CreateDirectory(Path.Combine(root, "escape"));
        File.CreateSymbolicLink(Path.Combine(root, "escape/up"), "../../etc");
    }

    /// <summary>A command line with {C} and {L} filled in.</summary>
    public static string[] Fill(string[] template, string container, string local) =>
        [.. template.Select(a => a.Replace("{C}", container).Replace("{L}", local))];

    /// <summary>Every entry below a local directory: path, type, permission bits, link target, content digest.</summary>
    public static List<string> DescribeDirectory(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(path =>
        {
            string relative = Path.GetRelativePath(root, path);
            if (new FileInfo(path).LinkTarget is { } target)
                return $"{relative} -> {target}";
            string mode = Convert.ToString((int)File.GetUnixFileMode(path), 8);
            return Directory.Exists(path) ? $"{relative}/ {mode}" : $"{relative} {mode} {Digest(File.ReadAllBytes(path))}";
        })];

    /// <summary>Every entry of a tar in order: name, type, permission bits, owner, link target, content digest.</summary>
    public static List<string> DescribeTar(Stream tar)
    {
        using var reader = new TarReader(tar);
        var entries = new List<string>();
        while (reader.GetNextEntry() is { } e)
        {
            var content = new MemoryStream();
            e.DataStream?.CopyTo(content);
            entries.Add($"{e.Name} {e.EntryType} {Convert.ToString((int)e.Mode, 8)} {e.Uid}:{e.Gid} {e.LinkName} {Digest(content.ToArray())}");
        }
        return entries;
    }

    /// <summary>
    /// What a container holds at <paramref name="path"/>, as the docker CLI streams it from the engine at
    /// <paramref name="socket"/> (<c>docker cp CONTAINER:PATH -</c>), described like <see cref="DescribeTar"/>;
    /// the tar passes through <paramref name="scratch"/>.
    /// </summary>
    public static List<string> DescribeContainer(string socket, string container, string path, string scratch)
    {
        string tar = Path.Combine(scratch, TestIds.New("tree") + ".tar");
        ProcessRunner.Run("/bin/sh", ["-c", $"docker --host unix://{socket} cp {container}:{path} - > {tar}"],
            environment: new Dictionary<string, string> { ["PATH"] = "/usr/local/bin:/usr/bin:/bin", ["DOCKER_CONFIG"] = Path.Combine(scratch, "cli") })
            .EnsureSuccess("docker cp to -");
        using var stream = File.OpenRead(tar);
        return DescribeTar(stream);
    }

    /// <summary>docker's stderr without logrus lines ("time=... level=error msg=..."): docker's own goroutines' noise, racing with its answer.</summary>
    public static string WithoutLogLines(string stderr) =>
        string.Join('\n', stderr.Split('\n').Where(l => !l.StartsWith("time=\"", StringComparison.Ordinal)));

    static string Digest(byte[] data) => Convert.ToHexString(SHA256.HashData(data))[..16];
}
