namespace Berth.Bench.Runtime;

internal sealed record BenchOptions(int Iterations, int Warmup, IReadOnlyList<string> Runtimes, string BerthPath)
{
    public static BenchOptions Parse(string[] args)
    {
        int iterations = 50, warmup = 3;
        var runtimes = new List<string> { "berth-runtime", "runc", "crun" };
        string berth = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../artifacts/bin/berth-runtime"));
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--iterations": iterations = int.Parse(args[++i]); break;
                case "--warmup": warmup = int.Parse(args[++i]); break;
                case "--runtimes": runtimes = args[++i].Split(',').ToList(); break;
                case "--berth": berth = Path.GetFullPath(args[++i]); break;
                default: throw new ArgumentException($"unknown option {args[i]} (--iterations N --warmup N --runtimes a,b --berth PATH)");
            }
        }
        return new BenchOptions(iterations, warmup, runtimes, berth);
    }
}
