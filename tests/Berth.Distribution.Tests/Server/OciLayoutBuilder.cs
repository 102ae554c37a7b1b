using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Berth.Oci;

namespace Berth.Distribution.Tests.Server;

/// <summary>
/// OCI image layouts written by hand for skopeo to push: images of one gzip layer each, alone or under a
/// multi-platform index, tagged in index.json with <c>org.opencontainers.image.ref.name</c>.
/// </summary>
static class OciLayoutBuilder
{
    public sealed record Blob(string MediaType, Digest Digest, long Size);

    /// <summary>A layer holding the files (name → content).</summary>
    public static (Blob Layer, Digest DiffId) Layer(string layout, IReadOnlyDictionary<string, string> files)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)), ModificationTime = DateTimeOffset.UnixEpoch };
                writer.WriteEntry(entry);
            }
        }
        return GzipLayer(layout, tar.ToArray());
    }

    /// <summary>A gzip layer of <paramref name="tar"/>, with its diffID (the digest of the tar itself).</summary>
    public static (Blob Layer, Digest DiffId) GzipLayer(string layout, byte[] tar)
    {
        using var gz = new MemoryStream();
        using (var gzip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(tar);
        return (Write(layout, "application/vnd.oci.image.layer.v1.tar+gzip", gz.ToArray()), Digest.FromBytes(tar));
    }

    /// <summary>An image manifest over one layer, with a config for <paramref name="architecture"/>.</summary>
    public static Blob Image(string layout, Blob layer, string architecture, Digest diffId)
    {
        var config = Write(layout, "application/vnd.oci.image.config.v1+json", Encoding.UTF8.GetBytes(
            $$"""{"architecture":"{{architecture}}","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["{{diffId}}"]} }"""));
        return Write(layout, "application/vnd.oci.image.manifest.v1+json", Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{Descriptor(config)}},"layers":[{{Descriptor(layer)}}]}"""));
    }

    public static Blob Index(string layout, params (Blob Manifest, string Architecture)[] manifests) =>
        Write(layout, "application/vnd.oci.image.index.v1+json", Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{{string.Join(",", manifests.Select(m =>
                Descriptor(m.Manifest)[..^1] + $$""","platform":{"architecture":"{{m.Architecture}}","os":"linux"} }"""))}}]}"""));

    /// <summary>Writes oci-layout and index.json naming <paramref name="top"/> as <paramref name="tag"/>.</summary>
    public static void Finish(string layout, Blob top, string tag)
    {
        File.WriteAllText(Path.Combine(layout, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllText(Path.Combine(layout, "index.json"),
            $$"""{"schemaVersion":2,"manifests":[{{Descriptor(top)[..^1]}},"annotations":{"org.opencontainers.image.ref.name":"{{tag}}"} }]}""");
    }

    public static string Descriptor(Blob blob) => $$"""{"mediaType":"{{blob.MediaType}}","digest":"{{blob.Digest}}","size":{{blob.Size}}}""";

    static Blob Write(string layout, string mediaType, byte[] content)
    {
        var digest = Digest.FromBytes(content);
        string directory = Path.Combine(layout, "blobs", "sha256");
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, digest.Encoded), content);
        return new Blob(mediaType, digest, content.Length);
    }
}
