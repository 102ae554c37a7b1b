using Berth.TestSupport;

namespace Berth.Bench.Images;

/// <summary>The archives and payloads the cases use, made once per run under the work directory.</summary>
internal sealed record Fixtures(IReadOnlyList<string> SmallFiles, IReadOnlyList<string> LargeFile, string Busybox, string Payload50, string Payload30)
{
    /// <param name="iterations">
    /// How many variants of each layer archive to make (one file apart): the same layer imported twice would be stored
    /// once by both stores (Berth skips the extraction, dockerd extracts and then deletes its copy).
    /// </param>
    public static Fixtures Make(string work, int iterations)
    {
        // 51,200 files of 4 KiB in 200 directories: 200 MiB of small files, written straight into the archive. A tree
        // made and deleted on disk would slow the first cases down (see Program.cs: recently deleted inodes).
        string smallTar = Path.Combine(work, "small.tar"), largeTar = Path.Combine(work, "large.tar");
        Run("python3", "-c", "import io, os, sys, tarfile\nwith tarfile.open(sys.argv[1], 'w', format=tarfile.GNU_FORMAT) as t:\n    for d in range(200):\n        i = tarfile.TarInfo('./d%d' % d); i.type = tarfile.DIRTYPE; i.mode = 0o755; i.mtime = 1700000000; t.addfile(i)\n        for n in range(d * 256, d * 256 + 256):\n            i = tarfile.TarInfo('./d%d/f%05d' % (d, n)); i.size = 4096; i.mode = 0o644; i.mtime = 1700000000\n            t.addfile(i, io.BytesIO(os.urandom(4096)))\n", smallTar);
        string large = Path.Combine(work, "large-tree");
        Directory.CreateDirectory(large);
        Run("bash", "-c", $"head -c 209715200 /dev/urandom > '{large}/big.bin'");
        Run("tar", "-C", large, "-cf", largeTar, ".");
        Remove(large);
        string payload50 = Path.Combine(work, "payload50"), payload30 = Path.Combine(work, "payload30");
        Run("bash", "-c", $"head -c 52428800 /dev/urandom > '{payload50}' && head -c 31457280 /dev/urandom > '{payload30}'");
        return new Fixtures(Variants(smallTar, iterations), Variants(largeTar, iterations), BusyboxRootfs.Tar(Path.Combine(work, "busybox.tar")), payload50, payload30);
    }

    /// <summary>Copies of <paramref name="tar"/> that each end with a different ./variant file.</summary>
    static List<string> Variants(string tar, int count)
    {
        string marker = tar + ".variant";
        Directory.CreateDirectory(marker);
        var variants = new List<string>();
        for (int i = 0; i < count; i++)
        {
            string variant = $"{tar[..^4]}-{i}.tar";
            File.Copy(tar, variant);
            File.WriteAllText(Path.Combine(marker, "variant"), i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Run("tar", "-rf", variant, "-C", marker, "./variant");
            variants.Add(variant);
        }
        return variants;
    }

    public static void Run(string file, params string[] args) => Commands.Run(file, args);

    public static void Remove(string path)
    {
        if (Directory.Exists(path))
            Run("rm", "-rf", "--one-file-system", path);
    }
}
