using Berth.Images.Layers;

namespace Berth.Images.Store;

/// <summary>
/// Reads a layer tar through without extracting it: checks that it is a whole, well-formed archive
/// and sums its entries' sizes (Docker's layer size, what its UnpackLayer returns).
/// </summary>
internal static class LayerScan
{
    public static (long TarSize, long ContentSize) Scan(Stream tar)
    {
        using var reader = new TarReader(tar);
        long contentSize = 0;
        while (reader.Next() is { } entry)
            contentSize += entry.Size;
        reader.ReadToEnd();
        return (reader.BytesRead, contentSize);
    }
}
