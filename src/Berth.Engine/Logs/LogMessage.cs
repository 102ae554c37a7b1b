namespace Berth.Engine.Logs;

/// <summary>
/// One entry on its way to the log file (dockerd's logger.Message): a line without its '\n'. A whole line is not
/// <see cref="Partial"/>; a line cut at 16 KiB gives pieces that are, all with the time, ID and successive ordinals of
/// the first, and its final piece (the one that ends with the '\n') is <see cref="Last"/>. The unterminated tail at
/// end of file is a partial piece that is not last.
/// </summary>
internal readonly ref struct LogMessage(LogSource source, ReadOnlySpan<byte> line, DateTimeOffset time)
{
    public LogSource Source { get; } = source;

    public ReadOnlySpan<byte> Line { get; } = line;

    public DateTimeOffset Time { get; } = time;

    public bool Partial { get; init; }

    public bool Last { get; init; }

    public int Ordinal { get; init; }

    public ReadOnlySpan<byte> PartialId { get; init; }

    /// <summary>json-file and local give the line its '\n' back when it had one: whole lines and last pieces.</summary>
    public bool EndsLine => !Partial || Last;

    public static ReadOnlySpan<byte> SourceName(LogSource source) => source == LogSource.Stderr ? "stderr"u8 : "stdout"u8;
}

/// <summary>Turns a <see cref="LogMessage"/> into the bytes of one entry of a driver's file format.</summary>
internal interface ILogEntryEncoder
{
    /// <summary>The most bytes an entry with a line of <paramref name="lineLength"/> bytes takes.</summary>
    int MaxLength(int lineLength);

    int Encode(in LogMessage message, Span<byte> destination);
}
