using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Build.Context;
using Berth.Build.Copy;

namespace Berth.Build.Tests.Copy;

/// <summary>COPY/ADD's file side on real directories: a source root and a destination root.</summary>
public sealed class CopyTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("berth-test-copy-").FullName;
    string Src => Path.Combine(_dir, "src");
    string Dst => Path.Combine(_dir, "dst");

    public CopyTests()
    {
        Directory.CreateDirectory(Src);
        Directory.CreateDirectory(Path.Combine(Dst, "etc"));
        File.WriteAllText(Path.Combine(Dst, "etc/passwd"), "root:x:0:0::/root:/bin/sh\nweb:x:1000:1000::/home/web:/bin/sh\n");
        File.WriteAllText(Path.Combine(Dst, "etc/group"), "root:x:0:\nweb:x:1000:\nstaff:x:50:\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    void Write(string path, string content, UnixFileMode? mode = null)
    {
        string full = Path.Combine(Src, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        if (mode is { } m)
            File.SetUnixFileMode(full, m);
    }

    CopyResult Copy(params string[] args) => Copy(new CopyOptions { Sources = args[..^1], Destination = args[^1] });

    CopyResult Copy(CopyOptions options) => ContextCopier.Copy(Src, Dst, options);

    static (int Uid, int Gid) Owner(string path)
    {
        var stat = Berth.Linux.FileStatus.Of(path, followSymlinks: false);
        return ((int)stat.Uid, (int)stat.Gid);
    }

    [Fact]
    public void Files_and_directories_land_as_docker_puts_them()
    {
        Write("a.txt", "a", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Write("dir/sub/b.txt", "b");
        File.CreateSymbolicLink(Path.Combine(Src, "dir/link"), "sub/b.txt");
        File.SetLastWriteTimeUtc(Path.Combine(Src, "a.txt"), new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        Copy("a.txt", "/app/");
        Copy("a.txt", "/renamed");
        Copy("dir", "/out");
        Assert.Equal("a", File.ReadAllText(Path.Combine(Dst, "app/a.txt")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(Dst, "app/a.txt")));
        Assert.Equal(new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc), File.GetLastWriteTimeUtc(Path.Combine(Dst, "app/a.txt")));
        Assert.Equal("a", File.ReadAllText(Path.Combine(Dst, "renamed")));
        Assert.Equal("b", File.ReadAllText(Path.Combine(Dst, "out/sub/b.txt")));
        Assert.Equal("sub/b.txt", new FileInfo(Path.Combine(Dst, "out/link")).LinkTarget);
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(Dst, "app")));
        Assert.Equal((0, 0), Owner(Path.Combine(Dst, "out/sub/b.txt")));
    }

    [Fact]
    public void Relative_destinations_are_under_the_workdir_and_wildcards_match()
    {
        Write("x1.txt", "1");
        Write("x2.txt", "2");
        Write("y.md", "3");
        Copy(new CopyOptions { Sources = ["x*.txt"], Destination = "sub/", WorkingDir = "/work" });
        Assert.True(File.Exists(Path.Combine(Dst, "work/sub/x1.txt")));
        Assert.True(File.Exists(Path.Combine(Dst, "work/sub/x2.txt")));
        Assert.False(File.Exists(Path.Combine(Dst, "work/sub/y.md")));
    }

    [Fact]
    public void Errors_are_dockers()
    {
        Write("a", "1");
        Write("b", "2");
        Assert.Equal("COPY failed: file not found in build context or excluded by .dockerignore: stat missing: file does not exist",
            Assert.Throws<BuildContextException>(() => Copy("missing", "/x")).Message);
        Assert.Equal("COPY failed: no source files were specified", Assert.Throws<BuildContextException>(() => Copy("*.none", "/x/")).Message);
        Assert.Equal("When using COPY with more than one source file, the destination must be a directory and end with a /",
            Assert.Throws<BuildContextException>(() => Copy("a", "b", "/x")).Message);
        Assert.Equal("COPY failed: forbidden path outside the build context: ../a ()", Assert.Throws<BuildContextException>(() => Copy("../a", "/x")).Message);
        Assert.StartsWith("unable to convert uid/gid chown string to host mapping: can't find uid for user ghost: no such user: ghost",
            Assert.Throws<BuildContextException>(() => Copy(new CopyOptions { Sources = ["a"], Destination = "/x", Chown = "ghost" })).Message);
        Assert.Equal("checksum can't be specified for non-HTTP(S) sources",
            Assert.Throws<BuildContextException>(() => Copy(new CopyOptions { IsAdd = true, Sources = ["a"], Destination = "/x", Checksum = "sha256:00" })).Message);
        Assert.StartsWith("invalid chmod parameter: u+x", Assert.Throws<BuildContextException>(() => Copy(new CopyOptions { Sources = ["a"], Destination = "/x", Chmod = "u+x" })).Message);
    }

    [Fact]
    public void Chown_resolves_in_the_destination_and_chmod_sets_modes()
    {
        Write("d/f", "1");
        Copy(new CopyOptions { Sources = ["d"], Destination = "/new/dir", Chown = "web:staff", Chmod = "0640" });
        Assert.Equal((1000, 50), Owner(Path.Combine(Dst, "new/dir/f")));
        Assert.Equal((1000, 50), Owner(Path.Combine(Dst, "new/dir")));
        Assert.Equal((UnixFileMode)0x1A0, File.GetUnixFileMode(Path.Combine(Dst, "new/dir/f")));
    }

    [Fact]
    public void Symlinks_in_the_destination_resolve_inside_it()
    {
        Write("f", "1");
        // An absolute target means the destination root's /inside, never the host's.
        Directory.CreateDirectory(Path.Combine(Dst, "inside"));
        Directory.CreateSymbolicLink(Path.Combine(Dst, "escape"), "/inside");
        Directory.CreateSymbolicLink(Path.Combine(Dst, "up"), "../../..");
        Copy("f", "/escape/");
        Copy("f", "/up/");
        Assert.True(File.Exists(Path.Combine(Dst, "inside/f")));
        Assert.True(File.Exists(Path.Combine(Dst, "f")));
        Assert.False(File.Exists(Path.Combine(_dir, "f")));
    }

    [Fact]
    public void Excludes_and_parents()
    {
        Write("src/a/keep.c", "1");
        Write("src/a/drop.o", "2");
        Copy(new CopyOptions { Sources = ["src"], Destination = "/e/", Excludes = ["*.o", "**/*.o"] });
        Assert.True(File.Exists(Path.Combine(Dst, "e/a/keep.c")));
        Assert.False(File.Exists(Path.Combine(Dst, "e/a/drop.o")));
        Copy(new CopyOptions { Sources = ["src/a/keep.c"], Destination = "/p/", Parents = true });
        Assert.True(File.Exists(Path.Combine(Dst, "p/src/a/keep.c")));
        Copy(new CopyOptions { Sources = ["src/./a/keep.c"], Destination = "/q/", Parents = true });
        Assert.True(File.Exists(Path.Combine(Dst, "q/a/keep.c")));
    }

    [Fact]
    public void The_checksum_follows_content_not_mtime()
    {
        Write("d/f", "content");
        Write("d/g", "other");
        string first = Copy("d", "/c1").Checksum;
        File.SetLastWriteTimeUtc(Path.Combine(Src, "d/f"), DateTime.UtcNow.AddDays(-3));
        Assert.Equal(first, Copy("d", "/c2").Checksum);
        Write("d/f", "contenT");
        Assert.NotEqual(first, Copy("d", "/c3").Checksum);
    }

    [Fact]
    public void Add_extracts_local_archives_but_copy_does_not()
    {
        var tar = new MemoryStream();
        using (var w = new System.Formats.Tar.TarWriter(tar, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "inside/file.txt") { DataStream = new MemoryStream("in"u8.ToArray()) };
            w.WriteEntry(entry);
        }
        File.WriteAllBytes(Path.Combine(Src, "plain.tar"), tar.ToArray());
        using (var gz = new FileStream(Path.Combine(Src, "packed.tgz"), FileMode.Create))
        using (var z = new GZipStream(gz, CompressionLevel.Fastest))
            z.Write(tar.ToArray());
        // bzip2 and xz through the host's programs, as Docker's DecompressStream runs xz.
        using (var pack = System.Diagnostics.Process.Start("/bin/sh", ["-c", $"cd '{Src}' && bzip2 -k plain.tar && xz -k plain.tar"]))
        {
            pack.WaitForExit();
            Assert.Equal(0, pack.ExitCode);
        }
        Copy(new CopyOptions { IsAdd = true, Sources = ["plain.tar"], Destination = "/t1" });
        Copy(new CopyOptions { IsAdd = true, Sources = ["packed.tgz"], Destination = "/t2/" });
        Copy(new CopyOptions { Sources = ["packed.tgz"], Destination = "/t3/" });
        Copy(new CopyOptions { IsAdd = true, Sources = ["plain.tar.bz2"], Destination = "/t4/" });
        Copy(new CopyOptions { IsAdd = true, Sources = ["plain.tar.xz"], Destination = "/t5/" });
        Assert.Equal("in", File.ReadAllText(Path.Combine(Dst, "t1/inside/file.txt")));
        Assert.Equal("in", File.ReadAllText(Path.Combine(Dst, "t2/inside/file.txt")));
        Assert.True(File.Exists(Path.Combine(Dst, "t3/packed.tgz")));
        Assert.Equal("in", File.ReadAllText(Path.Combine(Dst, "t4/inside/file.txt")));
        Assert.Equal("in", File.ReadAllText(Path.Combine(Dst, "t5/inside/file.txt")));
    }

    [Fact]
    public void Heredocs_become_files()
    {
        int root = Berth.Linux.FilesAt.Open(-100, Encoding.UTF8.GetBytes(Dst), Berth.Linux.OpenFlags.ReadOnly | Berth.Linux.OpenFlags.Directory);
        try
        {
            ContextCopier.WriteHeredoc(root, "EOF", "hello\n", new CopyOptions { Destination = "/etc/motd" });
        }
        finally
        {
            Berth.Linux.FilesAt.Close(root);
        }
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(Dst, "etc/motd")));
        Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(Path.Combine(Dst, "etc/motd")));
    }

    [Fact]
    public void Add_fetches_urls_from_a_loopback_server()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            for (int i = 0; i < 2; i++)
            {
                using var client = await listener.AcceptTcpClientAsync();
                using var stream = client.GetStream();
                var buffer = new byte[4096];
                _ = await stream.ReadAsync(buffer); // one small request: a GET fits in a segment
                await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nLast-Modified: Wed, 21 Oct 2015 07:28:00 GMT\r\nConnection: close\r\n\r\nhello"u8.ToArray());
            }
        });
        try
        {
            string url = $"http://127.0.0.1:{port}/files/greeting.txt";
            Copy(new CopyOptions { IsAdd = true, Sources = [url], Destination = "/dl/" });
            string path = Path.Combine(Dst, "dl/greeting.txt");
            Assert.Equal("hello", File.ReadAllText(path));
            Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(path));
            Assert.Equal(new DateTime(2015, 10, 21, 7, 28, 0, DateTimeKind.Utc), File.GetLastWriteTimeUtc(path));
            var e = Assert.Throws<BuildContextException>(() => Copy(new CopyOptions { IsAdd = true, Sources = [url], Destination = "/dl2/", Checksum = "sha256:" + new string('0', 64) }));
            Assert.StartsWith("digest mismatch sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", e.Message);
        }
        finally
        {
            listener.Stop();
        }
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        string closed = $"http://127.0.0.1:{port}/x";
        Assert.Contains(closed, Assert.Throws<BuildContextException>(() => Copy(new CopyOptions { IsAdd = true, Sources = [closed], Destination = "/x" })).Message);
    }
}
