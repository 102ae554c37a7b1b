using Berth.Build.Context;
using Berth.Build.Copy;

namespace Berth.Build.Tests.Context;

/// <summary>A COPY's cache key over a received context: the digests taken on the way in, for "." as for a named directory.</summary>
public sealed class ContextChecksumTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("berth-test-context-checksum-").FullName;
    string Src => Path.Combine(_dir, "src");
    string Scratch => Path.Combine(_dir, "scratch");

    public ContextChecksumTests() => Directory.CreateDirectory(Src);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    BuildContext Receive()
    {
        var body = new MemoryStream();
        ContextPacker.Pack(Src, body);
        body.Position = 0;
        return BuildContext.Receive(body, null, Scratch);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("./")]
    [InlineData("app")]
    public void The_key_is_the_same_from_the_context_digests_as_from_the_files(string source)
    {
        Directory.CreateDirectory(Path.Combine(Src, "app/sub"));
        File.WriteAllText(Path.Combine(Src, "Dockerfile"), "FROM scratch\n");
        File.WriteAllText(Path.Combine(Src, "app/a"), "alpha");
        File.WriteAllText(Path.Combine(Src, "app/sub/b"), "beta");
        File.CreateSymbolicLink(Path.Combine(Src, "app/link"), "sub/b");
        var options = new CopyOptions { Sources = [source], Destination = "/" };
        using var context = Receive();
        string fromDigests = ContextCopier.Checksum(context.Root, options, context);
        Assert.Equal(ContextCopier.Checksum(context.Root, options), fromDigests);
    }

    [Fact]
    public void A_copy_of_everything_takes_the_digests_of_the_context_not_the_files()
    {
        File.WriteAllText(Path.Combine(Src, "Dockerfile"), "FROM scratch\n");
        File.WriteAllText(Path.Combine(Src, "f"), "same size 1");
        var options = new CopyOptions { Sources = ["."], Destination = "/" };
        using var context = Receive();
        string before = ContextCopier.Checksum(context.Root, options, context);
        // Changed behind the context's back (same size and mode): only a read of the file would see it.
        File.WriteAllText(Path.Combine(context.Root, "f"), "same size 2");
        Assert.Equal(before, ContextCopier.Checksum(context.Root, options, context));
        Assert.NotEqual(before, ContextCopier.Checksum(context.Root, options));
    }
}
