using System.Security.Cryptography;
using System.Text;
using Berth.Images.Layers;

namespace Berth.Build.Context;

/// <summary>
/// The sha256 of every regular file's content of a context, taken from the tar stream while it is extracted (an
/// <see cref="IApplyObserver"/>): cache keys of COPY read these instead of the files. A hard link has its target's.
/// </summary>
internal sealed class ContextDigests : IApplyObserver, IDisposable
{
    readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    readonly Dictionary<string, byte[]> _digests = new(StringComparer.Ordinal);

    public void Data(ReadOnlySpan<byte> chunk) => _hash.AppendData(chunk);

    public void Applied(TarEntry entry, ReadOnlySpan<byte> path)
    {
        string name = Encoding.UTF8.GetString(path);
        if (entry.IsRegularFile)
        {
            var digest = new byte[32];
            _hash.GetHashAndReset(digest);
            _digests[name] = digest;
        }
        else if (entry.Type == TarEntryType.HardLink && _digests.TryGetValue(Clean(entry.LinkName), out var target))
            _digests[name] = target;
        else
            _digests.Remove(name); // replaced by something that is no file
    }

    static string Clean(string link) => Images.GoPath.Clean("/" + link)[1..];

    /// <summary>The digest of the regular file at <paramref name="path"/> (relative, clean), if the stream held one there.</summary>
    public bool TryGet(string path, out byte[] digest) => _digests.TryGetValue(path, out digest!);

    public void Forget(string path) => _digests.Remove(path);

    public int Count => _digests.Count;

    public void Dispose() => _hash.Dispose();
}
