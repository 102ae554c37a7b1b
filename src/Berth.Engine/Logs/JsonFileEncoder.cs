using System.Text;
using Berth.Oci.Image;

namespace Berth.Engine.Logs;

/// <summary>
/// json-file's entry, byte for byte as dockerd's jsonlog writes it:
/// <c>{"log":"line\n","stream":"stdout","attrs":{...},"time":"2024-01-02T03:04:05.123456789Z"}</c> and a '\n',
/// "attrs" only when there are extra attributes (Go's json.Marshal of the map: keys sorted).
/// </summary>
internal sealed class JsonFileEncoder : ILogEntryEncoder
{
    readonly byte[] _attrs;

    public JsonFileEncoder(IReadOnlyDictionary<string, string>? attributes)
    {
        _attrs = attributes is { Count: > 0 } ? EncodeAttributes(attributes) : [];
    }

    public int MaxLength(int lineLength)
        => "{\"log\":".Length + GoJsonBytes.MaxLength(lineLength + 1) + ",\"stream\":\"stdout\"".Length
            + ",\"attrs\":".Length + _attrs.Length + ",\"time\":\"\"}\n".Length + GoTimeText.MaxLength;

    public int Encode(in LogMessage message, Span<byte> d)
    {
        int n = 0;
        d[n++] = (byte)'{';
        ReadOnlySpan<byte> line = message.Line;
        if (line.Length > 0 || message.EndsLine)
        {
            n += Append(d[n..], "\"log\":"u8);
            n += message.EndsLine ? WriteLineWithNewline(line, d[n..]) : GoJsonBytes.WriteLogString(line, d[n..]);
            d[n++] = (byte)',';
        }
        n += Append(d[n..], "\"stream\":\""u8);
        n += Append(d[n..], LogMessage.SourceName(message.Source));
        d[n++] = (byte)'"';
        if (_attrs.Length > 0)
        {
            n += Append(d[n..], ",\"attrs\":"u8);
            n += Append(d[n..], _attrs);
        }
        n += Append(d[n..], ",\"time\":\""u8);
        n += GoTimeText.FormatNano(message.Time, d[n..]);
        n += Append(d[n..], "\"}\n"u8);
        return n;
    }

    // The line and its '\n' as one string without copying the line: the closing quote is replaced by the escape.
    static int WriteLineWithNewline(ReadOnlySpan<byte> line, Span<byte> d)
    {
        int n = GoJsonBytes.WriteLogString(line, d) - 1;
        d[n++] = (byte)'\\';
        d[n++] = (byte)'n';
        d[n++] = (byte)'"';
        return n;
    }

    static int Append(Span<byte> d, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(d);
        return bytes.Length;
    }

    static byte[] EncodeAttributes(IReadOnlyDictionary<string, string> attributes)
    {
        var output = new List<byte> { (byte)'{' };
        var scratch = new byte[64];
        foreach (var (key, value) in attributes.Select(a => (Key: Encoding.UTF8.GetBytes(a.Key), Value: Encoding.UTF8.GetBytes(a.Value)))
                     .OrderBy(a => a.Key, Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y))))
        {
            if (output.Count > 1)
                output.Add((byte)',');
            AddString(key);
            output.Add((byte)':');
            AddString(value);
        }
        output.Add((byte)'}');
        return [.. output];

        void AddString(byte[] text)
        {
            if (scratch.Length < GoJsonBytes.MaxLength(text.Length))
                scratch = new byte[GoJsonBytes.MaxLength(text.Length)];
            int length = GoJsonBytes.WriteEncodingJsonString(text, scratch);
            output.AddRange(scratch.AsSpan(0, length));
        }
    }
}
