using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Berth.Build.Context;
using Berth.Images.Layers;

namespace Berth.Build.Tests.Context;

/// <summary>Packing a context directory (client side) and receiving it (daemon side), end to end on real directories.</summary>
public sealed class ContextTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("berth-test-context-").FullName;
    string Src => Path.Combine(_dir, "src");
    string Scratch => Path.Combine(_dir, "scratch");

    public ContextTests()
    {
        Directory.CreateDirectory(Src);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    void Write(string path, string content)
    {
        string full = Path.Combine(Src, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    List<string> Names(byte[] tar)
    {
        var names = new List<string>();
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.Next() is { } e)
            names.Add(e.Name + (e.Type == TarEntryType.Symlink ? " -> " + e.LinkName : "") + $" {e.Uid}:{e.Gid}");
        return names;
    }

    byte[] Pack(PackOptions? options = null)
    {
        var output = new MemoryStream();
        ContextPacker.Pack(Src, output, options);
        return output.ToArray();
    }

    [Fact]
    public void Packing_applies_dockerignore_and_keeps_the_build_files()
    {
        Write("Dockerfile", "FROM scratch\n");
        Write(".dockerignore", "*.log\nsecret\nnode_modules\n!node_modules/keep\nDockerfile\n.dockerignore\n");
        Write("a.log", "x");
        Write("app/main.c", "int main;");
        Write("app/debug.log", "x");
        Write("secret/key", "k");
        Write("node_modules/keep/x.js", "1");
        Write("node_modules/drop/y.js", "2");
        File.CreateSymbolicLink(Path.Combine(Src, "link"), "app/main.c");
        var names = Names(Pack());
        Assert.Equal([".dockerignore 0:0", "Dockerfile 0:0", "app/ 0:0", "app/debug.log 0:0", "app/main.c 0:0", "link -> app/main.c 0:0", "node_modules/keep/ 0:0", "node_modules/keep/x.js 0:0"], names);
    }

    [Fact]
    public void A_dockerfile_specific_ignore_file_wins()
    {
        Write("build/app.Dockerfile", "FROM scratch\n");
        Write("build/app.Dockerfile.dockerignore", "b\n");
        Write(".dockerignore", "a\n");
        Write("a", "1");
        Write("b", "2");
        var names = Names(Pack(new PackOptions { Dockerfile = "build/app.Dockerfile" }));
        Assert.Contains("a 0:0", names);
        Assert.DoesNotContain("b 0:0", names);
    }

    [Fact]
    public void Packing_is_deterministic()
    {
        Write("Dockerfile", "FROM scratch\n");
        Write("x/y/z", "data");
        Assert.Equal(SHA256.HashData(Pack()), SHA256.HashData(Pack()));
    }

    [Fact]
    public void Receiving_extracts_digests_and_finds_the_dockerfile()
    {
        Write("Dockerfile", "FROM scratch\nCOPY . /\n");
        Write("dir/file.txt", "hello");
        Write(".dockerignore", "Dockerfile\n.dockerignore\n");
        var tar = Pack();
        // Docker's DecompressStream: gzip and zstd in process, bzip2 and xz through the host's programs.
        foreach (string? compressor in new[] { null, "gzip", "zstd", "bzip2", "xz" })
        {
            Stream body = new MemoryStream(tar);
            if (compressor is not null)
            {
                string plain = Path.Combine(Scratch, "context.tar");
                File.WriteAllBytes(plain, tar);
                using (var run = Process.Start("/bin/sh", ["-c", $"{compressor} -q -c '{plain}' > '{plain}.c'"]))
                    run.WaitForExit();
                body = new MemoryStream(File.ReadAllBytes(plain + ".c"));
                File.Delete(plain);
                File.Delete(plain + ".c");
                Assert.NotEqual(tar[..8], ((MemoryStream)body).ToArray()[..8]);
            }
            string root;
            using (var context = BuildContext.Receive(body, null, Scratch))
            {
                root = context.Root;
                Assert.Equal("FROM scratch\nCOPY . /\n", Encoding.UTF8.GetString(context.Dockerfile));
                Assert.Equal("hello", File.ReadAllText(Path.Combine(root, "dir/file.txt")));
                Assert.True(context.TryGetDigest("dir/file.txt", out var digest));
                Assert.Equal(SHA256.HashData("hello"u8), digest);
                // dockerd removes the build files the .dockerignore excludes, once read.
                Assert.False(File.Exists(Path.Combine(root, "Dockerfile")));
                Assert.False(File.Exists(Path.Combine(root, ".dockerignore")));
            }
            Assert.False(Directory.Exists(root));
        }
    }

    [Fact]
    public void A_missing_dockerfile_is_dockers_error_and_the_lower_case_default_is_found()
    {
        Write("dockerfile", "FROM scratch\n");
        using (var context = BuildContext.Receive(new MemoryStream(Pack(new PackOptions { Dockerfile = "dockerfile" })), null, Scratch))
            Assert.Equal("dockerfile", context.DockerfileName);
        var e = Assert.Throws<BuildContextException>(() => BuildContext.Receive(new MemoryStream(Pack()), "sub/Dockerfile.dev", Scratch));
        Assert.Equal("Cannot locate specified Dockerfile: sub/Dockerfile.dev", e.Message);
        Assert.Empty(Directory.GetDirectories(Scratch));
    }

    [Fact]
    public void A_bare_dockerfile_is_a_context_of_one_file()
    {
        using var context = BuildContext.Receive(new MemoryStream("FROM busybox\nRUN true\n"u8.ToArray()), null, Scratch);
        Assert.Equal("FROM busybox\nRUN true\n", Encoding.UTF8.GetString(context.Dockerfile));
        Assert.True(context.TryGetDigest("Dockerfile", out _));
    }

    [Fact]
    public void Entries_cannot_escape_the_scratch_directory()
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar))
        {
            writer.WriteHeader(new TarEntry { Type = TarEntryType.Symlink, Name = "evil", LinkName = "/" + _dir, Mode = 0x1FF });
            writer.WriteHeader(new TarEntry { Type = TarEntryType.Regular, Name = "evil/escaped", Mode = 0x1A4, Size = 1 });
            writer.WriteData("x"u8);
            writer.WriteHeader(new TarEntry { Type = TarEntryType.Regular, Name = "Dockerfile", Mode = 0x1A4, Size = 0 });
            writer.Finish();
        }
        // The symlink resolves inside the scratch directory, where its target does not exist: refused, nothing escapes.
        Assert.Throws<BuildContextException>(() => BuildContext.Receive(new MemoryStream(tar.ToArray()), null, Scratch));
        Assert.False(File.Exists(Path.Combine(_dir, "escaped")));
        Assert.Empty(Directory.GetDirectories(Scratch));
    }

    /// <summary>Extraction speed of a 50 MB context: many small files and one big one (printed, not asserted).</summary>
    [Fact]
    public void Measure_receiving_a_50MB_context()
    {
        var random = new Random(7);
        var small = new byte[4096];
        for (int i = 0; i < 5000; i++)
        {
            random.NextBytes(small);
            string path = Path.Combine(Src, $"d{i % 50}", $"f{i}.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, small);
        }
        var big = new byte[30 << 20];
        random.NextBytes(big);
        File.WriteAllBytes(Path.Combine(Src, "big.bin"), big);
        Write("Dockerfile", "FROM scratch\n");
        var sw = Stopwatch.StartNew();
        var tar = Pack();
        var pack = sw.Elapsed;
        var times = new List<double>();
        for (int run = 0; run < 5; run++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            sw.Restart();
            using (var context = BuildContext.Receive(new MemoryStream(tar), null, Scratch))
            {
                times.Add(sw.Elapsed.TotalMilliseconds);
                Console.WriteLine($"receive {tar.Length >> 20} MB, 5001 files: {sw.Elapsed.TotalMilliseconds:F0} ms, allocated {(GC.GetAllocatedBytesForCurrentThread() - before) >> 10} KiB");
            }
        }
        times.Sort();
        Console.WriteLine($"pack: {pack.TotalMilliseconds:F0} ms; receive median: {times[2]:F0} ms");
    }
}
