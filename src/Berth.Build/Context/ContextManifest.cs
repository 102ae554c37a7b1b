using System.Text;

namespace Berth.Build.Context;

/// <summary>One entry of a context directory as the client saw it: what tells a changed file from an unchanged one.</summary>
/// <param name="Path">Relative to the context, clean, as the context's tar names it (without a directory's "/").</param>
/// <param name="Mode">st_mode: the type and the permission bits.</param>
/// <param name="MtimeNanoseconds">The modification time in nanoseconds since the epoch.</param>
/// <param name="Links">The link count: a file with more than one name is always sent (its tar entry may be a hard link).</param>
public readonly record struct ContextEntry(string Path, uint Mode, long Size, long MtimeNanoseconds, uint Uid, uint Gid, ulong Inode, uint Links)
{
    const uint TypeMask = 0xF000, RegularType = 0x8000;

    public bool IsRegularFile => (Mode & TypeMask) == RegularType;

    /// <summary>Whether the receiver may keep its copy of this file (as received before) instead of having it sent again.</summary>
    public bool SameFileAs(in ContextEntry before) => IsRegularFile && Links == 1 && this == before;
}

/// <summary>
/// The list of what a context directory holds (after .dockerignore), in the order its tar would hold it: what
/// <c>berth build</c> sends first, so that berthd can answer which files it lacks, and only those travel (as
/// BuildKit's file sync does; the docker CLI's legacy build sends the whole context every time). A small binary
/// format of its own: "berth-context-manifest/1\n", then per entry the path's length (7-bit encoded) and UTF-8
/// bytes and the fixed fields, little-endian.
/// </summary>
public sealed class ContextManifest
{
    static ReadOnlySpan<byte> Magic => "berth-context-manifest/1\n"u8;

    /// <summary>More entries than any context a daemon will take in one manifest.</summary>
    public const int MaxEntries = 4_000_000;

    public List<ContextEntry> Entries { get; } = [];

    public void Write(Stream output)
    {
        using var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write7BitEncodedInt(Entries.Count);
        foreach (var e in Entries)
        {
            writer.Write(e.Path); // length-prefixed UTF-8
            writer.Write(e.Mode);
            writer.Write(e.Size);
            writer.Write(e.MtimeNanoseconds);
            writer.Write(e.Uid);
            writer.Write(e.Gid);
            writer.Write(e.Inode);
            writer.Write(e.Links);
        }
    }

    public byte[] ToArray()
    {
        using var buffer = new MemoryStream();
        Write(buffer);
        return buffer.ToArray();
    }

    /// <exception cref="BuildContextException">Not a manifest, or a truncated one.</exception>
    public static ContextManifest Read(Stream input)
    {
        var manifest = new ContextManifest();
        using var reader = new BinaryReader(input, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
                throw new BuildContextException("invalid build context manifest: it does not start with \"berth-context-manifest/1\"");
            int count = reader.Read7BitEncodedInt();
            if (count is < 0 or > MaxEntries)
                throw new BuildContextException($"invalid build context manifest: {count} entries");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < count; i++)
            {
                var entry = new ContextEntry(reader.ReadString(), reader.ReadUInt32(), reader.ReadInt64(), reader.ReadInt64(),
                    reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt64(), reader.ReadUInt32());
                if (!IsClean(entry.Path) || !seen.Add(entry.Path))
                    throw new BuildContextException($"invalid build context manifest: entry {i} has the path \"{entry.Path}\"");
                manifest.Entries.Add(entry);
            }
        }
        catch (EndOfStreamException)
        {
            throw new BuildContextException("invalid build context manifest: it ends too early");
        }
        return manifest;
    }

    /// <summary>A relative path that names a place in the context once: no "", ".", "..", leading or doubled "/".</summary>
    static bool IsClean(string path) => path.Length > 0 && Images.GoPath.Clean(path) == path && path != "." && !path.StartsWith('/') && path != ".." && !path.StartsWith("../", StringComparison.Ordinal);
}
