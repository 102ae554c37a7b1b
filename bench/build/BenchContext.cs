using System.Formats.Tar;
using Berth.TestSupport;

namespace Berth.Bench.Build;

/// <summary>
/// The build context, generated once into a temp dir: many small files under app/ and one big file, with
/// incompressible bytes (a seeded generator: the same context every run), 40% of it in small files, the 10-step, two-stage Dockerfile and
/// a one-step Dockerfile that sends the same context but builds nothing (the cost of the context alone).
/// </summary>
internal sealed class BenchContext : IDisposable
{
    public const int SmallFileSize = 10_000;
    const int Directories = 20;

    /// <summary>Ten steps: the first stage's FROM counts, the ARG before it does not.</summary>
    public const string Dockerfile = $$"""
        ARG BASE={{BerthDaemon.Image}}
        FROM ${BASE} AS build
        ARG VERSION=1
        ENV APP_HOME=/src
        WORKDIR $APP_HOME
        COPY . .
        RUN find . -type f | wc -l > /count && wc -c < big.bin >> /count
        FROM ${BASE}
        COPY --from=build /count /src/app/ /opt/app/
        LABEL org.example.bench="build" org.example.version="1"
        CMD ["cat", "/opt/app/count"]

        """;

    /// <summary>The steps that can be cache hits: all but the two FROMs.</summary>
    public const int CacheableSteps = 8;

    /// <summary>The steps before the COPY of the context (ARG, ENV, WORKDIR): the hits when a context file changes.</summary>
    public const int StepsBeforeCopy = 3;

    public const string ContextOnlyDockerfile = "Dockerfile.context";

    readonly Random _random = new(7);
    int _edits;

    public BenchContext(int megabytes)
    {
        SmallFiles = Math.Max(Directories, megabytes * 40);
        Directory = System.IO.Directory.CreateTempSubdirectory("berth-bench-build-").FullName;
        var buffer = new byte[SmallFileSize];
        for (int n = 0; n < SmallFiles; n++)
        {
            string dir = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "app", $"d{n % Directories:00}")).FullName;
            _random.NextBytes(buffer);
            File.WriteAllBytes(Path.Combine(dir, $"f{n:0000}.bin"), buffer);
        }
        long bigSize = Math.Max(1, megabytes * 1_000_000L - (long)SmallFiles * SmallFileSize);
        using (var big = File.Create(Path.Combine(Directory, "big.bin")))
        {
            var chunk = new byte[1 << 20];
            for (long left = bigSize; left > 0; left -= chunk.Length)
            {
                _random.NextBytes(chunk);
                big.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
            }
        }
        File.WriteAllText(Path.Combine(Directory, "Dockerfile"), Dockerfile);
        File.WriteAllText(Path.Combine(Directory, ContextOnlyDockerfile), $"FROM {BerthDaemon.Image}\n");
        Bytes = new DirectoryInfo(Directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
    }

    public string Directory { get; }

    public int SmallFiles { get; }

    public long Bytes { get; }

    /// <summary>New bytes in one small file that the first COPY reads (new content, not only a new mtime: the legacy builder's cache key ignores times).</summary>
    public void EditOneFile()
    {
        var buffer = new byte[SmallFileSize];
        _random.NextBytes(buffer);
        buffer[0] = (byte)++_edits;
        File.WriteAllBytes(Path.Combine(Directory, "app", "d00", "f0000.bin"), buffer);
    }

    /// <summary>The context as the CLI sends it (an uncompressed tar), for builds posted straight to the API.</summary>
    public byte[] Tar()
    {
        using var tar = new MemoryStream();
        TarFile.CreateFromDirectory(Directory, tar, includeBaseDirectory: false);
        return tar.ToArray();
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
