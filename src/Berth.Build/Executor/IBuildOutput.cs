using System.Text;

namespace Berth.Build.Executor;

/// <summary>
/// Where a build reports: the lines Docker's legacy builder streams (<c>Step 1/3 : FROM busybox</c>, a RUN's
/// output, <c>Successfully built ...</c>). The API turns each write into a <c>{"stream": ...}</c> message.
/// </summary>
public interface IBuildOutput
{
    /// <summary>Text as UTF-8 bytes (a RUN's output passes through as it comes).</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> text, CancellationToken ct);

    ValueTask WriteAsync(string text, CancellationToken ct) => WriteAsync(Encoding.UTF8.GetBytes(text), ct);

    /// <summary>The built image's ID, before the closing lines (the API's <c>aux</c> message, which <c>--iidfile</c> reads).</summary>
    ValueTask ImageIdAsync(string id, CancellationToken ct) => ValueTask.CompletedTask;
}
