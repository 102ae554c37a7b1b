using Berth.Cli.Client;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary>
/// docker cp's report: the bytes of tar that went through, and at the end "Successfully copied 2.05kB to DEST" on
/// stderr. docker 28 prints nothing else (its live progress line never reaches a terminal), and nothing at all with -q
/// or when stdout is no terminal; the caller decides that.
/// </summary>
internal sealed class CopyProgress
{
    long _total;

    public long Total => Interlocked.Read(ref _total);

    /// <summary>A stream reading <paramref name="inner"/> that counts what is read.</summary>
    public Stream Count(Stream inner) => new CountingStream(inner, this);

    public Task ReportAsync(CliContext cli, string destination) =>
        cli.Err.WriteLineAsync($"Successfully copied {HumanUnits.Size(Total)} to {destination}");

    sealed class CountingStream(Stream inner, CopyProgress progress) : ReadOnlyStream
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct = default)
        {
            int n = await inner.ReadAsync(destination, ct).ConfigureAwait(false);
            Interlocked.Add(ref progress._total, n);
            return n;
        }
    }
}
