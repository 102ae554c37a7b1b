using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Berth.TestSupport;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary>
/// <c>berth build --secret</c> against berthd and <c>RUN --mount=type=secret</c>: the step sees the secret's exact
/// bytes, with its mode and owner, at its target or in its variable; the image (every blob of <c>docker save</c>)
/// holds neither the secret nor the mount points made for it; a changed secret reuses the cached step (buildkit's
/// rule); a required secret the build lacks fails at its line. Then <c>berth builder prune</c> as docker's.
/// </summary>
[Collection(BerthdCollection.Name)]
public sealed partial class BuildSecretTests(BerthdFixture fixture) : IDisposable
{
    readonly BerthDaemon _berthd = fixture.Daemon;
    readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), TestIds.New("build-secret"))).FullName;
    readonly string _tag = TestIds.New("secret") + ":v1";

    public void Dispose()
    {
        _berthd.Cli("rmi", "-f", _tag);
        Directory.Delete(_dir, recursive: true);
    }

    string Context(string dockerfile)
    {
        string context = Directory.CreateDirectory(Path.Combine(_dir, "ctx")).FullName;
        File.WriteAllText(Path.Combine(context, "Dockerfile"), dockerfile);
        return context;
    }

    CommandResult Berth(IEnumerable<string> args, Dictionary<string, string>? env = null, string? stdin = null) =>
        ProcessRunner.Run(BerthCli.Path, ["--host", "unix://" + _berthd.Socket, .. args], stdin: stdin, timeout: TimeSpan.FromMinutes(3),
            environment: new Dictionary<string, string>(env ?? []) { ["BERTH_CONFIG"] = "/nonexistent-berth-config" });

    CommandResult Docker(IEnumerable<string> args, string? stdin = null) => _berthd.Cli(args, TimeSpan.FromMinutes(3), stdin);

    static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A secret of random bytes with a NUL and a newline in it: what a step reads must be these bytes exactly.</summary>
    static byte[] NewSecret() => [.. "s3cr3t-"u8, .. Encoding.ASCII.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))), 0, (byte)'\n', .. RandomNumberGenerator.GetBytes(8)];

    const string Checks = $"""
        FROM {BerthDaemon.Image}
        RUN --mount=type=secret,id=mysecret echo "@FILE@  /run/secrets/mysecret" | sha256sum -c - && test "$(stat -c '%a %u %g' /run/secrets/mysecret)" = "400 0 0" && ! touch /run/secrets/mysecret 2>/dev/null && touch /file-checked
        RUN --mount=type=secret,id=mysecret,target=/etc/app/key,mode=0440,uid=5,gid=6 test "$(stat -c '%a %u %g' /etc/app/key)" = "440 5 6" && echo "@FILE@  /etc/app/key" | sha256sum -c -
        RUN --mount=type=secret,id=TOKEN,env=TOKEN test "$(printf %s "$TOKEN" | sha256sum)" = "@ENV@  -" && test ! -e /run/secrets && touch /env-checked
        RUN --mount=type=secret,id=optional test ! -e /run/secrets/optional && touch /optional-checked
        """;

    [Fact]
    public void A_step_sees_the_secret_and_the_image_holds_nothing_of_it()
    {
        byte[] secret = NewSecret();
        string token = "tok-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        string file = Path.Combine(_dir, "secret.bin");
        File.WriteAllBytes(file, secret);
        string context = Context(Checks.Replace("@FILE@", Sha256(secret)).Replace("@ENV@", Sha256(Encoding.UTF8.GetBytes(token))));

        var result = Berth(["build", "--secret", $"id=mysecret,src={file}", "--secret", "id=TOKEN", "-t", _tag, context], new() { ["TOKEN"] = token });
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        // The steps' marks are there; /run/secrets and /etc/app (the image has /run and /etc), made for the mounts only, are not.
        Assert.Equal("/file-checked\n/env-checked\n/optional-checked\n", _berthd.Cli("run", "--rm", "--network", "none", _tag, "sh", "-c",
            "for p in /file-checked /env-checked /optional-checked /run/secrets /etc/app; do test -e $p && echo $p; done; true").EnsureSuccess("docker run").Stdout);
        Assert.DoesNotContain(token, result.Stdout + result.Stderr);
        AssertImageFree(_tag, [secret, Encoding.UTF8.GetBytes(token)]);
        AssertNoSecretMounts();

        // A changed secret does not bust the cache (buildkit's rule): the steps are what they were.
        File.WriteAllBytes(file, NewSecret());
        var again = Berth(["build", "--secret", $"id=mysecret,src={file}", "--secret", "id=TOKEN", "-t", _tag, context], new() { ["TOKEN"] = "other" });
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        Assert.Equal(4, again.Stdout.Split("Using cache").Length - 1);
    }

    [Fact]
    public void A_step_reads_the_secrets_exact_bytes()
    {
        byte[] secret = NewSecret();
        string file = Path.Combine(_dir, "secret.bin");
        File.WriteAllBytes(file, secret);
        string context = Context($"FROM {BerthDaemon.Image}\nRUN --mount=type=secret,id=key,target=/tmp/k cat /tmp/k > /copied\n");
        var result = Berth(["build", "--no-cache", "--secret", $"id=key,source={file}", "-t", _tag, context]);
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        string copy = Path.Combine(_dir, "copied");
        string container = _berthd.Cli("create", _tag, "true").EnsureSuccess("docker create").Stdout.Trim();
        try
        {
            _berthd.Cli("cp", container + ":/copied", copy).EnsureSuccess("docker cp");
        }
        finally
        {
            _berthd.Cli("rm", "-f", container);
        }
        Assert.Equal(secret, File.ReadAllBytes(copy));
    }

    [Fact]
    public void A_required_secret_the_build_lacks_fails_at_its_line()
    {
        string context = Context($"FROM {BerthDaemon.Image}\nRUN true\nRUN --mount=type=secret,id=absent,required=true cat /run/secrets/absent\n");
        const string expected = "Dockerfile:3 (RUN --mount=type=secret,id=absent,required=true cat /run/secrets/absent): secret absent: not found";
        var ours = Berth(["build", "--secret", "id=other,env=OTHER", context], new() { ["OTHER"] = "x" });
        Assert.Equal(1, ours.ExitCode);
        Assert.Equal(expected, ours.Stderr.Trim());
        // The docker CLI's legacy builder has no --secret: the same Dockerfile fails alike.
        var docker = Docker(["build", context]);
        Assert.Equal(1, docker.ExitCode);
        Assert.EndsWith(expected, docker.Stderr.Trim());
        AssertNoSecretMounts();
    }

    [Fact]
    public void Builder_prune_forgets_the_cache_as_docker_prints_it()
    {
        string context = Context($"FROM {BerthDaemon.Image}\nRUN echo cached > /cached\n");
        string Build() => Berth(["build", "-t", _tag, context]).EnsureSuccess("berth build").Stdout;
        Build();
        Assert.Contains("Using cache", Build());

        // Answered no, nothing goes; the prompt is docker's, on one line.
        foreach (string[] args in new[] { new[] { "builder", "prune" }, ["builder", "prune", "-a"] })
        {
            var theirs = Docker(args, "n\n");
            var ours = Berth(args, stdin: "n\n");
            Assert.Equal((theirs.ExitCode, theirs.Stdout), (ours.ExitCode, ours.Stdout));
        }
        Assert.StartsWith("WARNING! This will remove all dangling build cache. Are you sure you want to continue? [y/N] ", Berth(["builder", "prune"], stdin: "n\n").Stdout);
        Assert.Contains("Using cache", Build());

        // An until filter keeps what is newer.
        Assert.Equal("Total reclaimed space: 0B\n", Berth(["builder", "prune", "-f", "--filter", "until=1h"]).EnsureSuccess("prune until").Stdout);
        Assert.Contains("Using cache", Build());

        // Then all of it: the kept context's bytes are reclaimed, and the next build has no hit.
        var pruned = Berth(["builder", "prune", "-f"]).EnsureSuccess("berth builder prune");
        Assert.Matches(@"^Total reclaimed space: [0-9.]+k?B\n$", pruned.Stdout);
        Assert.NotEqual("Total reclaimed space: 0B\n", pruned.Stdout);
        Assert.DoesNotContain("Using cache", Build());

        // The docker CLI's prune against berthd: the same lines.
        Build();
        Assert.Matches(@"^Total reclaimed space: [0-9.]+k?B\n$", Docker(["builder", "prune", "-f", "-a"]).EnsureSuccess("docker builder prune").Stdout);
        Assert.DoesNotContain("Using cache", Build());
        Docker(["builder", "prune", "-f"]).EnsureSuccess("docker builder prune");
        var empty = Berth(["builder", "prune", "-f", "-a"]).EnsureSuccess("berth builder prune");
        Assert.Equal("Total reclaimed space: 0B\n", empty.Stdout);
        Assert.Equal(empty.Stdout, Docker(["builder", "prune", "-f", "-a"]).Stdout);

        // system prune takes the build cache last, as docker's does; with a label filter (cache entries have no
        // labels) it is kept.
        Build();
        Assert.Contains("Using cache", Build());
        Berth(["system", "prune", "-f", "--filter", "label=berth.test=none"]).EnsureSuccess("berth system prune --filter label");
        Assert.Contains("Using cache", Build());
        Berth(["system", "prune", "-f"]).EnsureSuccess("berth system prune");
        Assert.DoesNotContain("Using cache", Build());
    }

    /// <summary>Every blob of the saved image (layers unpacked): none holds a secret, no layer a path under /run/secrets or /etc/app.</summary>
    void AssertImageFree(string image, IReadOnlyList<byte[]> secrets)
    {
        string saved = Path.Combine(_dir, "saved.tar");
        _berthd.Cli("save", "-o", saved, image).EnsureSuccess("docker save");
        using var outer = new TarReader(File.OpenRead(saved));
        int layers = 0;
        while (outer.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null)
                continue;
            using var copy = new MemoryStream();
            entry.DataStream.CopyTo(copy);
            byte[] blob = Gunzipped(copy.ToArray());
            foreach (byte[] secret in secrets)
                Assert.True(blob.AsSpan().IndexOf(secret) < 0, $"{entry.Name} holds a secret");
            if (!entry.Name.StartsWith("blobs/", StringComparison.Ordinal) || blob.Length < 512 || blob[0] == '{')
                continue;
            using var layer = new TarReader(new MemoryStream(blob));
            layers++;
            while (layer.GetNextEntry() is { } file)
            {
                string name = file.Name.TrimStart('.', '/');
                Assert.False(name.StartsWith("run/secrets", StringComparison.Ordinal) || name.StartsWith("etc/app", StringComparison.Ordinal), $"a layer holds {file.Name}");
            }
        }
        Assert.True(layers > 1, "no layers in the saved image");
    }

    static byte[] Gunzipped(byte[] blob)
    {
        if (blob.Length < 2 || blob[0] != 0x1f || blob[1] != 0x8b)
            return blob;
        using var gzip = new GZipStream(new MemoryStream(blob), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    /// <summary>No step's secrets tmpfs is left mounted under the daemon's data root.</summary>
    void AssertNoSecretMounts()
    {
        string root = Path.GetFullPath(_berthd.DataRoot) + "/";
        var left = global::Berth.Linux.MountInfo.Read().Where(m => m.MountPoint.StartsWith(root, StringComparison.Ordinal) && m.MountPoint.Contains("/secrets-", StringComparison.Ordinal)).ToList();
        Assert.True(left.Count == 0, "left mounted: " + string.Join(", ", left.Select(m => m.MountPoint)));
    }
}
