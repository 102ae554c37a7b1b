using System.Security.Cryptography;
using System.Text;
using Berth.Images.Archive;
using Berth.Images.Layers;
using Berth.Images.Tests.Layers;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Tests.Archive;

/// <summary>Small images made in memory: hand-made layer tars and a config listing them, for the host's platform.</summary>
public static class TestImages
{
    public static byte[] Layer(params string[] files)
    {
        var tar = new TestTar();
        foreach (var file in files)
            tar.File(file, $"content of {file}\n");
        return tar.Build();
    }

    public static ArchiveLayer ToArchiveLayer(byte[] tar)
        => new(Digest.FromBytes(tar), tar.Length, () => new MemoryStream(tar, writable: false));

    public static byte[] Config(IEnumerable<byte[]> layers, string cmd = "/bin/sh")
    {
        string diffIds = string.Join(",", layers.Select(l => $"\"{Digest.FromBytes(l)}\""));
        return Encoding.UTF8.GetBytes(
            $"{{\"architecture\":\"{Platform.Host.Architecture}\",\"config\":{{\"Cmd\":[\"{cmd}\"]}},\"created\":\"2024-01-01T00:00:00Z\"," +
            $"\"os\":\"linux\",\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[{diffIds}]}}}}");
    }

    public static ArchiveImage Image(IReadOnlyList<byte[]> layers, string[] tags, string cmd = "/bin/sh")
    {
        var config = Config(layers, cmd);
        return new ArchiveImage(Digest.FromBytes(config), config, [.. layers.Select(ToArchiveLayer)], tags);
    }

    public static byte[] Write(IReadOnlyList<ArchiveImage> images, ArchiveFormat format)
    {
        using var output = new MemoryStream();
        ArchiveWriter.Write(output, images, format);
        return output.ToArray();
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The digest of a layer file's uncompressed tar (skopeo compresses layers it writes to an OCI layout).</summary>
    public static string DiffIdOf(string path)
    {
        using var file = File.OpenRead(path);
        using var tar = LayerStreams.Decompress(file, out _);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar));
    }

    /// <summary>The entries of a tar as GNU tar lists them ("type mode owner size name"), made by tar itself, not by our code.</summary>
    public static string[] Listing(string tarFile)
        => Sh.Ok($"tar --numeric-owner -tvf '{tarFile}' | awk '{{print $1, $2, $3, $NF}}'").Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
