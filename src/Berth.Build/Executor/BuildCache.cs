using System.Security.Cryptography;
using System.Text;

namespace Berth.Build.Executor;

/// <summary>
/// The build cache: a step's key (its parent image, what it does, and the checksum of what it reads) maps to the
/// image it made. One small file per key, written whole (temp + rename), so a crash leaves a key or nothing;
/// an entry whose image is gone is a miss.
/// </summary>
public sealed class BuildCache(string directory)
{
    public string Directory { get; } = directory;

    /// <summary>A key from the parts that decide a step's result.</summary>
    public static string Key(params ReadOnlySpan<string?> parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (string? part in parts)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(part ?? "\0null");
            // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public string? Lookup(string key)
    {
        try
        {
            return File.ReadAllText(Path.Combine(Directory, key)).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public void Store(string key, string imageId)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string temp = Path.Combine(Directory, $".tmp-{key}-{Guid.NewGuid():N}");
        File.WriteAllText(temp, imageId);
        File.Move(temp, Path.Combine(Directory, key), overwrite: true);
    }
}
