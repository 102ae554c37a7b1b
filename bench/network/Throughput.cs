namespace Berth.Bench.Network;

/// <summary>
/// Stream throughputs per engine and path (higher is better): medians, each path against the engine's
/// direct connection (the goal: a published port within 10% of it), and each engine against the first.
/// </summary>
internal sealed class Throughput(string title)
{
    public const string Direct = "direct";

    readonly List<string> _engines = [];
    readonly List<string> _paths = [];
    readonly Dictionary<(string Engine, string Path), List<double>> _values = [];

    public void Add(string engine, string path, double megabytesPerSecond)
    {
        if (!_engines.Contains(engine))
            _engines.Add(engine);
        if (!_paths.Contains(path))
            _paths.Add(path);
        if (!_values.TryGetValue((engine, path), out var list))
            _values[(engine, path)] = list = [];
        list.Add(megabytesPerSecond);
    }

    public void Print()
    {
        Console.WriteLine(title);
        foreach (var engine in _engines)
        {
            double? direct = Median(engine, Direct);
            foreach (var path in _paths)
            {
                if (Median(engine, path) is not { } median)
                    continue;
                var values = _values[(engine, path)];
                string versus = path == Direct || direct is null ? "" : $"  published/direct {median / direct.Value:0.00}";
                Console.WriteLine($"  {engine,-14} {path,-26} median {median,8:0} MB/s  (min {values.Min(),6:0}, max {values.Max(),6:0}){versus}");
            }
        }
        foreach (var other in _engines.Skip(1))
        {
            var ratios = _paths.Where(p => Median(_engines[0], p) is not null && Median(other, p) is not null)
                .Select(p => $"{p} {Median(_engines[0], p)!.Value / Median(other, p)!.Value:0.00}");
            Console.WriteLine($"  {_engines[0]}/{other} throughput: {string.Join(", ", ratios)}");
        }
    }

    double? Median(string engine, string path)
    {
        if (!_values.TryGetValue((engine, path), out var values) || values.Count == 0)
            return null;
        var sorted = values.Order().ToArray();
        return sorted[(sorted.Length - 1) / 2];
    }
}
