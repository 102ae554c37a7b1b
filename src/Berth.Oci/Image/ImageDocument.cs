namespace Berth.Oci.Image;

/// <summary>
/// A document together with the exact bytes it was read from. Identity depends on those bytes, not on the value: an
/// image ID is the digest of its config blob, a manifest digest that of the manifest blob, and writing a value again
/// need not give the same bytes (field order, escaping and whitespace vary between writers).
/// </summary>
public sealed class ImageDocument<T>
    where T : class
{
    internal ImageDocument(T value, ReadOnlyMemory<byte> bytes)
    {
        Value = value;
        Bytes = bytes;
        Digest = Digest.FromBytes(bytes.Span);
    }

    public T Value { get; }

    /// <summary>The bytes as read: what the digest is of, and what to store or push.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>sha256 of <see cref="Bytes"/>: for a config, the image ID.</summary>
    public Digest Digest { get; }

    public long Size => Bytes.Length;

    /// <summary>A descriptor of these bytes.</summary>
    public Descriptor ToDescriptor(string mediaType) => new() { MediaType = mediaType, Digest = Digest, Size = Size };
}
