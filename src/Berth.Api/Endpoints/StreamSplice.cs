using Berth.Http;
using Berth.Engine.Execs;
using Berth.Engine.Shims;
using Berth.Engine.Streams;

namespace Berth.Api.Endpoints;

/// <summary>
/// Joins a hijacked client connection to a shim's stream (attach, exec): output to the client until
/// the shim ends it, the client's input to the container until the client ends its side (which then
/// ends the container's stdin, as Docker's half-close does). Ends when the output ends, or when the
/// client types the detach keys (a terminal's attach, as dockerd): the container goes on, its stdin open.
/// </summary>
public static class StreamSplice
{
    /// <param name="detachKeys">The detach sequence to watch the input for; null for none.</param>
    /// <returns>True when the client detached: then <paramref name="shim"/> is the caller's, still open.</returns>
    public static async Task<bool> RunAsync(HijackedStream client, Stream shim, bool forwardInput, byte[]? detachKeys = null)
    {
        using var done = new CancellationTokenSource();
        bool detached = false;
        var output = CopyAsync(shim, client, done.Token);
        Task input = !forwardInput ? Task.CompletedTask
            : ForwardInputAsync(client, shim, detachKeys is null ? null : new DetachKeyScanner(detachKeys), () => { detached = true; done.Cancel(); }, done.Token);
        try
        {
            await output;
        }
        finally
        {
            done.Cancel();
            try
            {
                await input;
            }
            catch (Exception)
            {
                // The client went away or the shim ended: either ends the session.
            }
            if (!detached)
                await shim.DisposeAsync();
        }
        return detached;
    }

    static async Task CopyAsync(Stream from, Stream to, CancellationToken ct)
    {
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, ct)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), ct);
                await to.FlushAsync(ct);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client disconnected, or the session ended.
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The client's input to the container until the client ends its side, then the container's input is
    /// ended too; with a <paramref name="scanner"/>, the detach sequence is held back and, once complete,
    /// ends the session (<paramref name="detach"/>) leaving the container's input open (dockerd's copyEscapable).
    /// </summary>
    static async Task ForwardInputAsync(Stream client, Stream shim, DetachKeyScanner? scanner, Action detach, CancellationToken ct)
    {
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            int read;
            while ((read = await client.ReadAsync(buffer, ct)) > 0)
            {
                ReadOnlyMemory<byte> forward = buffer.AsMemory(0, read);
                bool detached = false;
                if (scanner is not null)
                    (forward, detached) = scanner.Scan(buffer.AsSpan(0, read));
                if (forward.Length > 0)
                {
                    await shim.WriteAsync(forward, ct);
                    await shim.FlushAsync(ct);
                }
                if (detached)
                {
                    detach();
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client disconnected, or the session ended.
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
        CloseWrite(shim);
    }

    /// <summary>Ends the writing side of a shim stream (the container sees EOF on stdin).</summary>
    public static void CloseWrite(Stream stream)
    {
        try
        {
            switch (stream)
            {
                case ShimStream s:
                    s.CloseWrite();
                    break;
                case EndNotifyingStream { Inner: ShimStream inner }:
                    inner.CloseWrite();
                    break;
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // Gone already.
        }
    }
}
