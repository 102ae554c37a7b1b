using Berth.TestSupport;

namespace Berth.Bench.Images;

/// <summary>The archives and payloads the cases use, made once per run under the work directory.</summary>
internal sealed record Fixtures(string SmallFiles, string LargeFile, string Busybox, string Payload50, string Payload30)
{
    public static Fixtures Make(string work)
    {
        string small = Path.Combine(work, "small-tree");
        // 51,200 files of 4 KiB in 200 directories: 200 MiB of small files.
        Run("python3", "-c", "import os, sys\nroot = sys.argv[1]\nfor i in range(51200):\n    d = os.path.join(root, 'd%d' % (i % 200))\n    os.makedirs(d, exist_ok=True)\n    with open(os.path.join(d, 'f%05d' % i), 'wb') as f:\n        f.write(os.urandom(4096))\n", small);
        string large = Path.Combine(work, "large-tree");
        Directory.CreateDirectory(large);
        Run("bash", "-c", $"head -c 209715200 /dev/urandom > '{large}/big.bin'");
        string smallTar = Path.Combine(work, "small.tar"), largeTar = Path.Combine(work, "large.tar");
        Run("tar", "-C", small, "-cf", smallTar, ".");
        Run("tar", "-C", large, "-cf", largeTar, ".");
        Remove(small);
        Remove(large);
        string payload50 = Path.Combine(work, "payload50"), payload30 = Path.Combine(work, "payload30");
        Run("bash", "-c", $"head -c 52428800 /dev/urandom > '{payload50}' && head -c 31457280 /dev/urandom > '{payload30}'");
        return new Fixtures(smallTar, largeTar, BusyboxRootfs.Tar(Path.Combine(work, "busybox.tar")), payload50, payload30);
    }

    public static void Run(string file, params string[] args) => Commands.Run(file, args);

    public static void Remove(string path)
    {
        if (Directory.Exists(path))
            Run("rm", "-rf", "--one-file-system", path);
    }
}
