using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Berth.Distribution.Client;

/// <summary>
/// Which registries answered the start of a TLS handshake with plain HTTP, so that a failed https request can say so
/// in the words dockerd uses (Go's <c>http: server gave HTTP response to HTTPS client</c>): .NET's own error says only
/// that the TLS connection could not be established. Each https connection looks at the first bytes the server
/// sends, as Go's client does; the latest connection to an endpoint decides.
/// </summary>
internal static class PlainHttpEndpoints
{
    /// <summary>Go's text for it, which dockerd prints.</summary>
    public const string Message = "http: server gave HTTP response to HTTPS client";

    static readonly ConcurrentDictionary<string, bool> Plain = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when the last https connection to the URI's host and port got an HTTP answer instead of TLS.</summary>
    public static bool AnsweredWithHttp(Uri? uri) => uri is not null && Plain.GetValueOrDefault(uri.Authority);

    /// <summary>The handler's ConnectCallback: a TCP connection, watched for an HTTP answer when it will carry TLS.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, ct).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var stream = new NetworkStream(socket, ownsSocket: true);
        return context.InitialRequestMessage.RequestUri is { Scheme: "https" } uri ? new FirstBytes(stream, uri.Authority) : stream;
    }

    /// <summary>A connection's stream that records whether the server's first bytes are <c>HTTP/</c> (a TLS record never is).</summary>
    sealed class FirstBytes(NetworkStream inner, string authority) : Stream
    {
        readonly byte[] _head = new byte[5];
        int _seen;

        void Look(ReadOnlySpan<byte> read)
        {
            if (_seen >= _head.Length || read.IsEmpty)
                return;
            int n = Math.Min(read.Length, _head.Length - _seen);
            read[..n].CopyTo(_head.AsSpan(_seen));
            _seen += n;
            if (_seen == _head.Length)
                Plain[authority] = _head.AsSpan().SequenceEqual("HTTP/"u8);
        }

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            Look(buffer[..n]);
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Look(buffer.Span[..n]);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
