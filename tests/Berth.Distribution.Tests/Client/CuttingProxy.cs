using System.Net;
using System.Net.Sockets;

namespace Berth.Distribution.Tests.Client;

/// <summary>
/// A TCP relay on 127.0.0.1 to a registry that drops the connection once, after <c>cutAfter</c> bytes have
/// come back from the registry: a download interrupted for real, halfway through a blob. With <c>stall</c>, it
/// keeps the connection open and sends nothing more instead (a registry that hangs), until the client gives up.
/// With <c>upstream</c>, the bytes counted and cut are those the client sends (an upload cut off halfway).
/// Dispose stops it.
/// </summary>
public sealed class CuttingProxy : IDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly int _target;
    readonly long _cutAfter;
    readonly bool _stall;
    readonly bool _upstream;
    readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly CancellationTokenSource _stop = new();
    long _relayed;
    int _cut;

    public CuttingProxy(int targetPort, long cutAfter, bool stall = false, bool upstream = false)
    {
        _target = targetPort;
        _cutAfter = cutAfter;
        _stall = stall;
        _upstream = upstream;
        _listener.Start();
        _ = AcceptAsync();
    }

    public string Host => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Whether the cut happened.</summary>
    public bool Cut => Volatile.Read(ref _cut) == 1;

    /// <summary>Completes once the cut (or the stall) has happened.</summary>
    public Task Reached => _reached.Task;

    async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = RelayAsync(client);
        }
    }

    async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
                using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var up = _upstream ? CuttingCopyAsync(client.GetStream(), server.GetStream(), done.Token) : client.GetStream().CopyToAsync(server.GetStream(), done.Token);
                var down = _upstream ? server.GetStream().CopyToAsync(client.GetStream(), done.Token) : CuttingCopyAsync(server.GetStream(), client.GetStream(), done.Token);
                await Task.WhenAny(up, down);
                done.Cancel();
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
            }
        }
    }

    async Task CuttingCopyAsync(Stream from, Stream to, CancellationToken ct)
    {
        byte[] buffer = new byte[16 << 10];
        while (true)
        {
            int n = await from.ReadAsync(buffer, ct);
            if (n == 0)
                return;
            long before = Interlocked.Add(ref _relayed, n) - n;
            if (before < _cutAfter && before + n >= _cutAfter && Interlocked.Exchange(ref _cut, 1) == 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, (int)(_cutAfter - before)), ct);
                _reached.TrySetResult();
                if (_stall)
                    await Task.Delay(Timeout.Infinite, ct); // until the client closes its side, or Dispose
                return; // the connection closes mid-response
            }
            await to.WriteAsync(buffer.AsMemory(0, n), ct);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
