using System.ComponentModel;
using System.Diagnostics;

namespace Berth.Images.Layers;

/// <summary>
/// "PROGRAM -d -c -q" fed <c>input</c> on its stdin: reading gives its stdout. A failure of the program surfaces at
/// the end of its output, as an invalid-argument StoreException with the program's own message. Disposing stops the feeding and
/// the program (by its own id) and waits for both, so nothing reads <c>input</c> after it.
/// </summary>
internal sealed class ProgramStream : ReadOnlyStream
{
    readonly Process _process;
    readonly Stream _stdout;
    readonly string _program;
    readonly Task<string> _stderr;
    readonly Task _feeding;
    readonly CancellationTokenSource _stop = new();
    readonly Stream _input;

    public ProgramStream(string program, Stream input)
    {
        _program = program;
        _input = input;
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-d");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("-q");
        try
        {
            _process = Process.Start(start) ?? throw new StoreException(StoreErrorKind.Internal, $"{program} could not be started");
        }
        catch (Win32Exception)
        {
            input.Dispose();
            throw new StoreException(StoreErrorKind.Internal, $"exec: \"{program}\": executable file not found in $PATH");
        }
        _stdout = _process.StandardOutput.BaseStream;
        _stderr = _process.StandardError.ReadToEndAsync();
        _feeding = FeedAsync(input, _process.StandardInput.BaseStream, _stop.Token);
    }

    static async Task FeedAsync(Stream input, Stream stdin, CancellationToken stop)
    {
        try
        {
            await input.CopyToAsync(stdin, 128 * 1024, stop).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The program stopped reading (it failed, or the reader was disposed), or the input failed (a client gone
            // mid-upload): either way the program's stdin ends here, and its exit status says why.
        }
        finally
        {
            try
            {
                stdin.Dispose();
            }
            catch (IOException)
            {
            }
        }
    }

    public override int Read(Span<byte> buffer)
    {
        int n = _stdout.Read(buffer);
        if (n == 0 && buffer.Length > 0)
            CheckExit();
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n = await _stdout.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (n == 0 && buffer.Length > 0)
            CheckExit();
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    void CheckExit()
    {
        _process.WaitForExit();
        if (_process.ExitCode != 0)
            throw StoreException.Invalid($"{_program}: {_stderr.GetAwaiter().GetResult().Trim()}");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Cancel();
            if (!_process.HasExited)
            {
                try
                {
                    _process.Kill();
                }
                catch (InvalidOperationException)
                {
                    // It ended between the check and the kill.
                }
            }
            _process.WaitForExit();
            _feeding.GetAwaiter().GetResult();
            _process.Dispose();
            _input.Dispose();
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }
}
