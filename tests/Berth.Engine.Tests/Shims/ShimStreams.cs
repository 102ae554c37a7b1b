using System.Text;
using Berth.Engine.Streams;

namespace Berth.Engine.Tests.Shims;

/// <summary>Reading what a shim sends on an attach or exec stream, with a bound that turns a hang into a failure.</summary>
internal static class ShimStreams
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>Demultiplexes the stream to its end: (stdout, stderr) as text.</summary>
    public static async Task<(string Stdout, string Stderr)> ReadFramesToEndAsync(Stream stream)
    {
        using var cts = new CancellationTokenSource(Bound);
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        await MultiplexedStreamReader.CopyAsync(stream, stdout, stderr, cts.Token);
        return (Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    /// <summary>The raw bytes to the stream's end.</summary>
    public static async Task<byte[]> ReadRawToEndAsync(Stream stream)
    {
        using var cts = new CancellationTokenSource(Bound);
        var all = new MemoryStream();
        await stream.CopyToAsync(all, cts.Token);
        return all.ToArray();
    }

    /// <summary>Reads raw bytes until the text read so far contains <paramref name="expected"/>; returns all of it.</summary>
    public static async Task<string> ReadRawUntilAsync(Stream stream, StringBuilder seen, string expected)
    {
        using var cts = new CancellationTokenSource(Bound);
        var buffer = new byte[4096];
        while (!seen.ToString().Contains(expected, StringComparison.Ordinal))
        {
            int n = await stream.ReadAsync(buffer, cts.Token);
            if (n == 0)
                Assert.Fail($"the stream ended before \"{expected}\" came; it carried: {seen}");
            seen.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        return seen.ToString();
    }
}
