namespace Berth.Engine.Logs;

/// <summary>
/// dockerd's names for a log's rotated files: the current file is &lt;path&gt;, the one before it &lt;path&gt;.1, then
/// &lt;path&gt;.2 and so on up to max-file - 1; with compress every rotated file ends up as &lt;path&gt;.N.gz (.1 stays
/// plain while it is being compressed).
/// </summary>
internal static class RotatedFiles
{
    public static string Name(string path, int index, bool compressed) => compressed ? $"{path}.{index}.gz" : $"{path}.{index}";

    /// <summary>Where a rotated file is compressed before it takes its name: a reader never opens half a .gz.</summary>
    public static string CompressionTemporary(string path) => path + ".1.gz.tmp";
}
