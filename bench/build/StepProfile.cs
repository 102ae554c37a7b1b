namespace Berth.Bench.Build;

/// <summary>
/// Prints when each step of a build began, in ms since the POST /build started, one column per build: the first
/// step's time is the upload and intake of the context, each gap the step before it.
/// </summary>
internal static class StepProfile
{
    public static void Print(List<(string Title, List<(string Step, double Ms)> Steps)> builds)
    {
        Console.WriteLine("where the time goes: POST /build of the context packed in memory, ms since the request started at which each step began (one build each)");
        Console.WriteLine($"  {"step",-58}{string.Concat(builds.Select(b => $"{b.Title,14}"))}");
        var rows = builds[0].Steps.Select(s => s.Step).ToList();
        for (int row = 0; row < rows.Count; row++)
        {
            string label = rows[row].Length > 56 ? rows[row][..55] + "…" : rows[row];
            Console.WriteLine($"  {label,-58}{string.Concat(builds.Select(b => row < b.Steps.Count ? $"{b.Steps[row].Ms,14:0.0}" : $"{"-",14}"))}");
        }
    }
}
