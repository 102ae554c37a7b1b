using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Berth.Distribution.Client;
using Berth.Http;

namespace Berth.Api.Endpoints;

/// <summary>
/// Docker's JSON message stream of a pull or push (jsonmessage.JSONMessage, one object per line): messages
/// from any thread are queued and written in order by one pump. The response head goes out with the first
/// message, so an error before it (an unknown manifest, refused credentials) is still an HTTP error, as
/// dockerd's lazy writer makes it; an error after it is an <c>errorDetail</c> message.
/// </summary>
internal sealed class ProgressResponse
{
    readonly HttpContext _ctx;
    readonly Channel<ProgressMessage> _queue = Channel.CreateUnbounded<ProgressMessage>(new UnboundedChannelOptions { SingleReader = true });
    readonly Task _pump;
    Stream? _output;

    public ProgressResponse(HttpContext ctx)
    {
        _ctx = ctx;
        _pump = PumpAsync();
    }

    public void Report(ProgressMessage message) => _queue.Writer.TryWrite(message);

    /// <summary>Writes what is queued; then <paramref name="error"/> as a message if the stream has started, else rethrows it.</summary>
    public async Task CompleteAsync(Exception? error)
    {
        _queue.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
        if (error is null)
        {
            if (_output is not null)
                await _output.DisposeAsync().ConfigureAwait(false);
            return;
        }
        if (_output is null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        await _output.WriteAsync(ErrorLine(error.Message), _ctx.Aborted).ConfigureAwait(false);
        await _output.DisposeAsync().ConfigureAwait(false);
    }

    async Task PumpAsync()
    {
        await foreach (var message in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            _output ??= await _ctx.Response.StartStreamAsync("application/json", _ctx.Aborted).ConfigureAwait(false);
            await _output.WriteAsync(Line(message), _ctx.Aborted).ConfigureAwait(false);
        }
    }

    /// <summary>One message as dockerd marshals it: fields in JSONMessage's order, empty ones left out.</summary>
    internal static byte[] Line(ProgressMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (message.Status.Length > 0)
                json.WriteString("status", message.Status);
            if (message.Detail)
            {
                json.WriteStartObject("progressDetail");
                if (message.Total > 0 || message.Current > 0)
                {
                    json.WriteNumber("current", message.Current);
                    json.WriteNumber("total", message.Total);
                }
                json.WriteEndObject();
                string bar = ProgressBar(message.Current, message.Total);
                if (bar.Length > 0)
                    json.WriteString("progress", bar);
            }
            if (message.Id is { Length: > 0 } id)
                json.WriteString("id", id);
            if (message.Aux is { } aux)
            {
                json.WriteStartObject("aux");
                json.WriteString("Tag", aux.Tag);
                json.WriteString("Digest", aux.Digest);
                json.WriteNumber("Size", aux.Size);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        buffer.Write("\r\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    internal static byte[] ErrorLine(string error)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("errorDetail");
            json.WriteString("message", error);
            json.WriteEndObject();
            json.WriteString("error", error);
            json.WriteEndObject();
        }
        buffer.Write("\r\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// jsonmessage.JSONProgress.String() as the daemon computes it (its width is 200, so with the bar):
    /// <c>[=====&gt;     ]  1.234MB/5.678MB</c>; the time left is not given (dockerd sends no start time).
    /// </summary>
    internal static string ProgressBar(long current, long total)
    {
        if (current <= 0 && total <= 0)
            return "";
        if (total <= 0)
            return HumanSize(current).PadLeft(8);
        int percentage = Math.Min(50, (int)((double)current / total * 100) / 2);
        string box = $"[{new string('=', percentage)}>{new string(' ', 50 - percentage)}] ";
        string numbers = current > total ? HumanSize(current).PadLeft(8) : $"{HumanSize(current),8}/{HumanSize(total)}";
        return box + numbers;
    }

    /// <summary>go-units' HumanSize: decimal units, four significant digits ("32.77kB", "2.592MB").</summary>
    internal static string HumanSize(double size)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
        int unit = 0;
        while (size >= 1000 && unit < units.Length - 1)
        {
            size /= 1000;
            unit++;
        }
        return size.ToString("G4", CultureInfo.InvariantCulture) + units[unit];
    }
}
