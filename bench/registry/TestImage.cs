using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Bench.Registry;

/// <summary>
/// An OCI layout holding one image of <c>layers</c> layers, each a tar of one file of random bytes in gzip without
/// compression (stored blocks): already "compressed", so skopeo sends the blobs as they are instead of gzipping
/// random bytes for a minute, and unpacking costs the daemons next to nothing beyond the copy.
/// </summary>
internal static class TestImage
{
    public const string Tag = "bench";

    public static string Write(string directory, long totalBytes, int layers)
    {
        string blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        var random = new Random(42);
        var descriptors = new List<string>();
        var diffIds = new List<string>();
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < layers; i++)
        {
            string data = Path.Combine(directory, $"layer{i}.bin");
            using (var file = File.Create(data))
            {
                for (long left = totalBytes / layers; left > 0; left -= chunk.Length)
                {
                    random.NextBytes(chunk);
                    file.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
                }
            }
            string tar = Path.Combine(directory, $"layer{i}.tar");
            using (var output = File.Create(tar))
            using (var writer = new TarWriter(output, TarEntryFormat.Pax))
                writer.WriteEntry(data, $"data/layer{i}.bin");
            File.Delete(data);
            diffIds.Add(Sha256(tar));
            string gzip = tar + ".gz";
            using (var input = File.OpenRead(tar))
            using (var output = File.Create(gzip))
            using (var compressor = new GZipStream(output, CompressionLevel.NoCompression))
                input.CopyTo(compressor);
            File.Delete(tar);
            string digest = Blob(blobs, gzip);
            descriptors.Add($$"""{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{digest}}","size":{{new FileInfo(Path.Combine(blobs, digest[7..])).Length}}}""");
        }
        string config = $$"""{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[{{string.Join(",", diffIds.Select(d => $"\"{d}\""))}}]} }""";
        string configDigest = Bytes(blobs, Encoding.UTF8.GetBytes(config));
        string manifest = $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":{{config.Length}}},"layers":[{{string.Join(",", descriptors)}}]}""";
        string manifestDigest = Bytes(blobs, Encoding.UTF8.GetBytes(manifest));
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllText(Path.Combine(directory, "index.json"),
            $$"""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{manifestDigest}}","size":{{manifest.Length}},"annotations":{"org.opencontainers.image.ref.name":"{{Tag}}"} }]}""");
        return directory;
    }

    static string Sha256(string file)
    {
        using var stream = File.OpenRead(file);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    static string Blob(string blobs, string file)
    {
        string digest = Sha256(file);
        File.Move(file, Path.Combine(blobs, digest[7..]), overwrite: true);
        return digest;
    }

    static string Bytes(string blobs, byte[] content)
    {
        string digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        File.WriteAllBytes(Path.Combine(blobs, digest[7..]), content);
        return digest;
    }
}
