using System.Buffers;
using Berth.Images.Layers;
using Berth.Oci;

namespace Berth.Images.Archive;

/// <summary>
/// Writes images as an uncompressed tar in the layout of <c>docker save</c> (Docker 25 and later) or as a plain OCI
/// image layout. The output is a function of the input alone: entries in the order of Go's directory walk (blobs
/// sorted by digest, then the top-level files by name), mtime 0, owner 0:0, mode 0755/0644; each distinct blob once.
/// Layers are streamed from <see cref="ArchiveLayer.OpenUncompressedTar"/> through one pooled buffer and checked
/// against their diffID and size as they pass; a layer that does not match fails the write (with the output
/// partly written: the caller discards it).
/// </summary>
public static class ArchiveWriter
{
    const uint DirectoryMode = 0x1ED; // 0755
    const uint FileMode = 0x1A4;      // 0644

    /// <exception cref="StoreException">InvalidArgument: a config that does not match its digest or its layers, a
    /// bad tag; DataLoss: a layer whose bytes are not its diffID or size.</exception>
    public static void Write(Stream output, IReadOnlyList<ArchiveImage> images, ArchiveFormat format)
    {
        var plan = ArchivePlan.Make(images, format);
        using var tar = new TarWriter(output);
        var entry = new TarEntry();

        WriteDirectory(tar, entry, "blobs/");
        string? algorithm = null;
        foreach (var blob in plan.Blobs.Values)
        {
            if (blob.Digest.Algorithm != algorithm)
            {
                algorithm = blob.Digest.Algorithm;
                WriteDirectory(tar, entry, $"blobs/{algorithm}/");
            }
            string name = ArchivePlan.BlobPath(blob.Digest);
            if (blob.Layer is { } layer)
                WriteLayer(tar, entry, name, layer);
            else
                WriteFile(tar, entry, name, blob.Bytes!.Value.Span);
        }
        foreach (var (name, bytes) in plan.Files)
            WriteFile(tar, entry, name, bytes);
        tar.Finish();
    }

    static void Header(TarWriter tar, TarEntry entry, string name, TarEntryType type, uint mode, long size)
    {
        entry.Reset();
        entry.Name = name;
        entry.Type = type;
        entry.Mode = mode;
        entry.Size = size;
        tar.WriteHeader(entry);
    }

    static void WriteDirectory(TarWriter tar, TarEntry entry, string name) => Header(tar, entry, name, TarEntryType.Directory, DirectoryMode, 0);

    static void WriteFile(TarWriter tar, TarEntry entry, string name, ReadOnlySpan<byte> content)
    {
        Header(tar, entry, name, TarEntryType.Regular, FileMode, content.Length);
        tar.WriteData(content);
    }

    /// <summary>Copies exactly <see cref="ArchiveLayer.Size"/> bytes, hashing them; any difference is DataLoss.</summary>
    static void WriteLayer(TarWriter tar, TarEntry entry, string name, ArchiveLayer layer)
    {
        Header(tar, entry, name, TarEntryType.Regular, FileMode, layer.Size);
        using var source = layer.OpenUncompressedTar();
        using var hash = layer.DiffId.CreateHash();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            long remaining = layer.Size;
            while (true)
            {
                int n = source.Read(buffer, 0, buffer.Length);
                if (n == 0)
                    break;
                if (n > remaining)
                    throw new StoreException(StoreErrorKind.DataLoss, $"archive: layer {layer.DiffId} is longer than its size {layer.Size}");
                hash.AppendData(buffer, 0, n);
                tar.WriteData(buffer.AsSpan(0, n));
                remaining -= n;
            }
            if (remaining > 0)
                throw new StoreException(StoreErrorKind.DataLoss, $"archive: layer {layer.DiffId} ended {remaining} bytes before its size {layer.Size}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        var actual = Digest.FromHash(layer.DiffId.Algorithm, hash);
        if (actual != layer.DiffId)
            throw new StoreException(StoreErrorKind.DataLoss, $"archive: layer {layer.DiffId} read back with digest {actual}");
    }
}
