using Berth.Cli.Client;
using Berth.Engine.Streams;
using Berth.Linux;

namespace Berth.Cli.Streams;

/// <summary>What the streams of an attached container or exec carry.</summary>
internal sealed record AttachStreamOptions(bool Tty, bool Stdin, bool Stdout, bool Stderr, byte[] DetachSequence);

/// <summary>
/// docker's hijackedIOStreamer: after a hijacked attach or exec start, copies the connection to stdout and stderr
/// (demultiplexed when there is no terminal) and stdin to the connection. With a terminal on stdin it switches the
/// terminal to raw mode for the session and watches for the detach keys. The end of stdin half-closes the
/// connection so that the process sees its input end; the session ends with the output.
/// </summary>
internal static class HijackedStreams
{
    /// <summary>Runs the session; true when the user detached with the key sequence.</summary>
    public static async Task<bool> RunAsync(CliContext cli, Connection connection, AttachStreamOptions options)
    {
        cli.Flush();
        byte[]? savedTerminal = null;
        if (options.Stdin && options.Tty && cli.StdinIsTerminal && cli.Env("NORAW") is null)
        {
            try
            {
                savedTerminal = Terminal.MakeRaw(0);
            }
            catch (LinuxException)
            {
                savedTerminal = null;
            }
        }
        void RestoreTerminal()
        {
            var saved = Interlocked.Exchange(ref savedTerminal, null);
            if (saved is not null)
                Terminal.Restore(0, saved);
        }
        try
        {
            var output = CopyOutputAsync(cli, connection, options, RestoreTerminal);
            var detached = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (options.Stdin)
                StartInputThread(cli, connection, options, detached, RestoreTerminal);
            else
            {
                await connection.CloseWriteAsync().ConfigureAwait(false);
            }
            var first = await Task.WhenAny(output, detached.Task).ConfigureAwait(false);
            if (first == detached.Task && detached.Task.Result)
                return true;
            await output.ConfigureAwait(false);
            return false;
        }
        finally
        {
            RestoreTerminal();
        }
    }

    static async Task CopyOutputAsync(CliContext cli, Connection connection, AttachStreamOptions options, Action restoreTerminal)
    {
        Stream stdout = options.Stdout ? cli.StdoutStream : Stream.Null;
        Stream stderr = options.Stderr ? (options.Tty ? cli.StdoutStream : cli.StderrStream) : Stream.Null;
        try
        {
            if (options.Tty)
            {
                byte[] buffer = new byte[32 * 1024];
                int n;
                while ((n = await connection.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                {
                    await stdout.WriteAsync(buffer.AsMemory(0, n)).ConfigureAwait(false);
                    await stdout.FlushAsync().ConfigureAwait(false);
                }
                restoreTerminal();
            }
            else
            {
                await MultiplexedStreamReader.CopyAsync(connection, new FlushingStream(stdout), new FlushingStream(stderr)).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The daemon closed the connection abruptly: the streams are over.
        }
    }

    static void StartInputThread(CliContext cli, Connection connection, AttachStreamOptions options, TaskCompletionSource<bool> detached, Action restoreTerminal)
    {
        var scanner = options.Tty ? new DetachKeyScanner(options.DetachSequence) : null;
        var thread = new Thread(() =>
        {
            byte[] buffer = new byte[32 * 1024];
            try
            {
                int n;
                while ((n = cli.StdinStream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    byte[] forward = buffer[..n];
                    if (scanner is not null)
                    {
                        var (pass, detach) = scanner.Scan(buffer.AsSpan(0, n));
                        if (pass.Length > 0)
                            connection.Write(pass, 0, pass.Length);
                        if (detach)
                        {
                            restoreTerminal();
                            detached.TrySetResult(true);
                            return;
                        }
                        continue;
                    }
                    connection.Write(forward, 0, forward.Length);
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                // The connection is gone; the output side reports how it ended.
            }
            restoreTerminal();
            connection.CloseWriteAsync().GetAwaiter().GetResult();
            detached.TrySetResult(false);
        })
        {
            IsBackground = true,
            Name = "berth stdin",
        };
        thread.Start();
    }
}

/// <summary>Passes writes on and flushes each one, so that a container's output shows as it comes.</summary>
internal sealed class FlushingStream(Stream inner) : Stream
{
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        await inner.WriteAsync(buffer, ct).ConfigureAwait(false);
        await inner.FlushAsync(ct).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        inner.Flush();
    }

    public override void Flush() => inner.Flush();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
