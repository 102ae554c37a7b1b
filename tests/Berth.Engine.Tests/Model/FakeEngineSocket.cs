using System.Net.Sockets;
using System.Text;
using Berth.TestSupport;

namespace Berth.Engine.Tests.Model;

/// <summary>
/// A unix-socket HTTP/1.1 server that plays a Docker daemon announcing API 1.50 to the docker CLI: it records every
/// request (method, path, body) and answers each with what <see cref="Respond"/> gives. Enough for the CLI's
/// non-streaming calls; lives in a temporary directory removed on dispose.
/// </summary>
sealed class FakeEngineSocket : IDisposable
{
    readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    readonly CancellationTokenSource _stop = new();
    readonly Task _accepting;
    readonly List<RecordedRequest> _requests = [];

    public FakeEngineSocket(Func<RecordedRequest, (int Status, byte[] Body)> respond)
    {
        Respond = respond;
        Directory = Path.Combine(Path.GetTempPath(), TestIds.New("fake-engine"));
        System.IO.Directory.CreateDirectory(Directory);
        _listener.Bind(new UnixDomainSocketEndPoint(Socket));
        _listener.Listen(8);
        _accepting = Task.Run(AcceptAll);
    }

    public string Directory { get; }

    public string Socket => Path.Combine(Directory, "docker.sock");

    public Func<RecordedRequest, (int Status, byte[] Body)> Respond { get; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
                return [.. _requests];
        }
    }

    /// <summary>The docker CLI (Docker 28) against this socket, with a private config directory.</summary>
    public CommandResult Cli(params string[] args) =>
        ProcessRunner.Run(DockerCli, ["--host", "unix://" + Socket, .. args],
            environment: new Dictionary<string, string> { ["DOCKER_CONFIG"] = Path.Combine(Directory, "cli") }, timeout: TimeSpan.FromSeconds(30));

    // Docker 28's CLI (API 1.50) where the machine has it; Debian's docker.io CLI is 20.10.
    static string DockerCli => File.Exists("/usr/local/bin/docker") ? "/usr/local/bin/docker" : HostTools.Require("docker", "docker.io");

    async Task AcceptAll()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => Serve(connection));
        }
    }

    async Task Serve(Socket connection)
    {
        using var stream = new NetworkStream(connection, ownsSocket: true);
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        try
        {
            while (true)
            {
                int headEnd;
                while ((headEnd = IndexOf(buffer, "\r\n\r\n"u8)) < 0)
                {
                    int n = await stream.ReadAsync(chunk, _stop.Token);
                    if (n == 0)
                        return;
                    buffer.AddRange(chunk.AsSpan(0, n));
                }
                string[] head = Encoding.ASCII.GetString(buffer.GetRange(0, headEnd).ToArray()).Split("\r\n");
                buffer.RemoveRange(0, headEnd + 4);
                string[] line = head[0].Split(' ');
                int length = head.Skip(1).Select(h => h.Split(':', 2)).Where(h => h[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    .Select(h => int.Parse(h[1].Trim())).FirstOrDefault();
                while (buffer.Count < length)
                {
                    int n = await stream.ReadAsync(chunk, _stop.Token);
                    if (n == 0)
                        return;
                    buffer.AddRange(chunk.AsSpan(0, n));
                }
                var request = new RecordedRequest(line[0], line[1], buffer.GetRange(0, length).ToArray());
                buffer.RemoveRange(0, length);
                lock (_requests)
                    _requests.Add(request);
                var (status, body) = request.Path.EndsWith("/_ping", StringComparison.Ordinal) ? (200, "OK"u8.ToArray()) : Respond(request);
                string headers = $"HTTP/1.1 {status} {(status < 300 ? "OK" : "Error")}\r\nApi-Version: 1.50\r\nOstype: linux\r\nServer: Docker/28.2.2 (linux)\r\n"
                    + $"Content-Type: {(request.Path.EndsWith("/_ping", StringComparison.Ordinal) ? "text/plain" : "application/json")}\r\nContent-Length: {body.Length}\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(headers), _stop.Token);
                if (request.Method != "HEAD")
                    await stream.WriteAsync(body, _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            // The CLI hung up.
        }
    }

    static int IndexOf(List<byte> buffer, ReadOnlySpan<byte> pattern)
    {
        for (int i = 0; i + pattern.Length <= buffer.Count; i++)
        {
            int j = 0;
            while (j < pattern.Length && buffer[i + j] == pattern[j])
                j++;
            if (j == pattern.Length)
                return i;
        }
        return -1;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

sealed record RecordedRequest(string Method, string Path, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}
