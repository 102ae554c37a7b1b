using Berth.Bench.Images;

namespace Berth.Bench.BuildContext;

/// <summary>The context the issue names: 5,000 files of 4 KiB in 50 directories, one 30 MB file, a Dockerfile.</summary>
internal static class Tree
{
    public static long Make(string root)
    {
        var random = new Random(7);
        var small = new byte[4096];
        long size = 0;
        for (int i = 0; i < 5000; i++)
        {
            random.NextBytes(small);
            string path = Path.Combine(root, $"d{i % 50}", $"f{i}.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, small);
            size += small.Length;
        }
        var big = new byte[30 << 20];
        random.NextBytes(big);
        File.WriteAllBytes(Path.Combine(root, "big.bin"), big);
        File.WriteAllText(Path.Combine(root, "Dockerfile"), "FROM scratch\nCOPY . /\n");
        Run("sync");
        return size + big.Length;
    }

    public static void Run(string file, params string[] args) => Commands.Run(file, args);
}
