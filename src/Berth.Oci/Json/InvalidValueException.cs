namespace Berth.Oci.Json;

/// <summary>
/// Raised by <see cref="RuntimeSpecReader"/> on a value it cannot take, at the token where it found it; turned into
/// an <see cref="OciFormatException"/> by <see cref="JsonErrors.InvalidValue"/>, which adds the JSON path and position.
/// </summary>
internal sealed class InvalidValueException(long offset, string reason) : Exception(reason)
{
    /// <summary>Byte offset of the token in the document (after a byte order mark).</summary>
    public long Offset { get; } = offset;

    /// <summary>What is wrong: <c>expected uint32, got string "root"</c>.</summary>
    public string Reason { get; } = reason;
}
