using System.Security.Cryptography;
using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// What users hand the daemon may be compressed with bzip2 or xz, as Docker's DecompressStream takes it: docker import,
/// docker load, the archive PUT of docker cp, and a build context. The daemon undoes it with the host's programs.
/// </summary>
public sealed class CompressedArchiveTests(BerthdFixture fixture) : IClassFixture<BerthdFixture>
{
    readonly BerthDaemon _d = fixture.Daemon;
    const string Image = BerthDaemon.Image;

    string Compress(string program, string file)
    {
        string compressed = file + "." + program;
        ProcessRunner.Run("/bin/sh", ["-c", $"{program} -c '{file}' > '{compressed}'"]).EnsureSuccess(program);
        return compressed;
    }

    [Theory]
    [InlineData("xz")]
    [InlineData("bzip2")]
    public void Import_takes_a_compressed_root_file_system_as_its_tar(string program)
    {
        string tar = BusyboxRootfs.Tar(_d.PathOf($"import-{program}.tar"));
        string diffId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(tar)));
        string image = TestIds.New("import-" + program) + ":v1";
        try
        {
            _d.Cli("import", Compress(program, tar), image).EnsureSuccess($"docker import of a {program} archive");
            Assert.Equal(diffId, _d.Cli("image", "inspect", "--format", "{{index .RootFS.Layers 0}}", image).Stdout.Trim());
            Assert.Equal("imported\n", _d.Cli("run", "--rm", "--network", "none", image, "echo", "imported").EnsureSuccess("docker run").Stdout);
        }
        finally
        {
            _d.Cli("rmi", "-f", image);
        }
    }

    [Fact]
    public void Load_takes_a_saved_image_compressed_with_xz()
    {
        string image = TestIds.New("load-xz") + ":v1";
        string tar = _d.PathOf("load-xz.tar");
        try
        {
            _d.Cli("tag", Image, image).EnsureSuccess("docker tag");
            string id = _d.Cli("image", "inspect", "--format", "{{.Id}}", image).Stdout.Trim();
            _d.Cli("save", "-o", tar, image).EnsureSuccess("docker save");
            _d.Cli("rmi", image).EnsureSuccess("docker rmi");
            var load = _d.Cli("load", "-i", Compress("xz", tar)).EnsureSuccess("docker load of an xz archive");
            Assert.Contains($"Loaded image: {image}", load.Stdout);
            Assert.Equal(id, _d.Cli("image", "inspect", "--format", "{{.Id}}", image).Stdout.Trim());
        }
        finally
        {
            _d.Cli("rmi", "-f", image);
        }
    }

    [Theory]
    [InlineData("xz")]
    [InlineData("bzip2")]
    public async Task A_copy_into_a_container_takes_a_compressed_tar(string program)
    {
        string source = Directory.CreateDirectory(_d.PathOf($"cp-{program}/dropped")).FullName;
        File.WriteAllText(Path.Combine(source, "hello.txt"), "hello from " + program + "\n");
        string tar = _d.PathOf($"cp-{program}.tar");
        ProcessRunner.Run("/bin/tar", ["-C", Path.GetDirectoryName(source)!, "-cf", tar, "dropped"]).EnsureSuccess("tar");
        string name = TestIds.New("cp-" + program);
        try
        {
            _d.Cli("create", "--name", name, "--network", "none", Image, "cat", "/dropped/hello.txt").EnsureSuccess("docker create");
            using (var api = _d.Api())
            await using (var body = File.OpenRead(Compress(program, tar)))
            {
                var put = await api.PutAsync($"/containers/{name}/archive?path=/", new StreamContent(body));
                Assert.True(put.IsSuccessStatusCode, $"PUT archive: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
            }
            Assert.Equal($"hello from {program}\n", _d.Cli("start", "-a", name).EnsureSuccess("docker start -a").Stdout);
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
    }

    [Fact]
    public void A_corrupt_xz_archive_is_a_clear_error_and_imports_nothing()
    {
        string bad = _d.PathOf("corrupt.tar.xz");
        File.WriteAllBytes(bad, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, .. RandomNumberGenerator.GetBytes(4096)]);
        string image = TestIds.New("corrupt-xz") + ":v1";
        int before = _d.Cli("images", "-q", "-a").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        var import = _d.Cli("import", bad, image);
        Assert.NotEqual(0, import.ExitCode);
        Assert.Contains("xz: ", import.Stderr);
        Assert.Equal(before, _d.Cli("images", "-q", "-a").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
