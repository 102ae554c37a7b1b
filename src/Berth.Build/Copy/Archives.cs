using Berth.Build.Context;
using Berth.Images;
using Berth.Images.Layers;

namespace Berth.Build.Copy;

/// <summary>
/// ADD's local archives, recognised by content as go-archive's IsArchivePath does (the stream decompressed, then a
/// first tar header that reads): tar, gzip, bzip2, xz, zstd (<see cref="ArchiveStreams"/>).
/// </summary>
internal static class Archives
{
    public static bool IsArchive(FileStream file)
    {
        try
        {
            using var plain = ArchiveStreams.Decompress(file, leaveOpen: true);
            var block = new byte[TarFields.BlockSize];
            int n = 0;
            for (int r; n < block.Length && (r = plain.Read(block, n, block.Length - n)) > 0;)
                n += r;
            return n == block.Length && block.AsSpan().ContainsAnyExcept((byte)0)
                && TarFields.TryParseNumber(block.AsSpan(TarFields.Checksum, 8), out long sum)
                && TarFields.ComputeChecksum(block) is var (unsigned, signed) && (sum == unsigned || sum == signed);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ZstdSharp.ZstdException or StoreException)
        {
            return false;
        }
        finally
        {
            file.Position = 0;
        }
    }

    /// <summary>UntarPath: the archive's entries (owners, modes and times as the archive says) into the directory <paramref name="dirFd"/>.</summary>
    public static void Extract(FileStream file, int dirFd, string name)
    {
        using var plain = ArchiveStreams.Decompress(file, leaveOpen: true);
        try
        {
            LayerApplier.Apply(plain, dirFd, name, new ApplyOptions { Whiteouts = WhiteoutMode.None });
        }
        catch (StoreException e)
        {
            throw new BuildContextException($"ADD failed: failed to extract {name}: {e.Message}", e, e.Kind != StoreErrorKind.Internal);
        }
    }
}
