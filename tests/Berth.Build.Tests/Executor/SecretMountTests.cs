using Berth.Build.Context;
using Berth.Build.Dockerfile;
using Berth.Build.Executor;
using Berth.Images;

namespace Berth.Build.Tests.Executor;

/// <summary>
/// <c>RUN --mount=type=secret</c> resolved as buildkit's dispatchSecret does (id, target, env, mode, owner, required),
/// a cache key that never depends on the secret's content, and the mount points a step's mounts leave behind
/// (<see cref="MountStubs"/>) found and removed only while empty.
/// </summary>
public sealed class SecretMountTests : IDisposable
{
    readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), Berth.TestSupport.TestIds.New("secret-mount"))).FullName;
    readonly BuildContext _context;

    public SecretMountTests() => _context = BuildContext.Receive(new MemoryStream("FROM scratch\n"u8.ToArray()), null, _dir);

    public void Dispose()
    {
        _context.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    static RunMount Mount(string options) => new("secret", options.Split(',').Select(o => o.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "true"));

    RunMounts.SecretMount Resolve(string options, Dictionary<string, byte[]>? secrets = null)
        => Assert.Single(RunMounts.Resolve([Mount(options)], _context, _dir, new Dictionary<string, Images.Store.Image?>(), secrets ?? new() { ["key"] = "v"u8.ToArray() })).Secret!;

    [Fact]
    public void Resolves_as_buildkit()
    {
        var plain = Resolve("id=key");
        Assert.Equal(("key", "/run/secrets/key", null, 0x100u /* 0400 */, 0u, 0u), (plain.Id, plain.Target, plain.Env, plain.Mode, plain.Uid, plain.Gid));
        Assert.Equal("v"u8.ToArray(), plain.Content);
        Assert.Equal(("key", "/etc/key"), (Resolve("target=/etc/key").Id, Resolve("target=/etc/key").Target)); // the id from the target's name
        Assert.Equal("key", Resolve("id=other,source=key").Id); // source= wins
        var env = Resolve("id=key,env=TOKEN");
        Assert.Equal((null, "TOKEN"), (env.Target, env.Env)); // env only: no file
        Assert.Equal("/t", Resolve("id=key,env=TOKEN,target=/t").Target); // both
        var owned = Resolve("id=key,mode=0644,uid=1000,gid=50");
        Assert.Equal((0x1A4u, 1000u, 50u), (owned.Mode, owned.Uid, owned.Gid));
        Assert.Null(Resolve("id=absent").Content); // not given, not required: nothing mounted
    }

    [Theory]
    [InlineData("id=absent,required", "secret absent: not found")]
    [InlineData("id=absent,required=true", "secret absent: not found")]
    [InlineData("required", "one of source, target required")]
    [InlineData("id=key,mode=0999", "invalid mode \"0999\" of a secret mount")]
    [InlineData("id=key,uid=-1", "invalid uid \"-1\" of a secret mount")]
    public void Refuses(string options, string message)
        => Assert.Equal(message, Assert.Throws<BuildException>(() => Resolve(options)).Message);

    [Fact]
    public void The_cache_key_never_depends_on_the_content()
    {
        string Key(string options, Dictionary<string, byte[]> secrets)
            => RunMounts.Key(RunMounts.Resolve([Mount(options)], _context, _dir, new Dictionary<string, Images.Store.Image?>(), secrets), _context);
        string one = Key("id=key", new() { ["key"] = "one"u8.ToArray() });
        Assert.Equal(one, Key("id=key", new() { ["key"] = "two"u8.ToArray() }));
        Assert.Equal(one, Key("id=key", new())); // given or not (buildkit: the same op)
        Assert.NotEqual(one, Key("id=key,target=/elsewhere", new()));
        Assert.NotEqual(one, Key("id=key,mode=0444", new()));
    }

    [Fact]
    public void Mount_stubs_are_what_the_image_lacks_and_go_only_while_empty()
    {
        string root = Directory.CreateDirectory(Path.Combine(_dir, "root")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        Directory.CreateDirectory(Path.Combine(root, "run"));
        File.CreateSymbolicLink(Path.Combine(root, "var-run"), "/run"); // resolved inside the root, as the runtime does
        var stubs = MountStubs.Find(root, ["/run/secrets/key", "/etc/app/conf/key", "/etc", "/var-run/other/x"]);
        Assert.Equal(["run/secrets/key", "run/secrets", "etc/app/conf/key", "etc/app/conf", "etc/app", "run/other/x", "run/other"], stubs);

        // What the runtime made, and what the step wrote beside one of them.
        string layer = Directory.CreateDirectory(Path.Combine(_dir, "layer")).FullName;
        Directory.CreateDirectory(Path.Combine(layer, "run", "secrets"));
        File.WriteAllBytes(Path.Combine(layer, "run", "secrets", "key"), []);
        Directory.CreateDirectory(Path.Combine(layer, "etc", "app", "conf"));
        File.WriteAllBytes(Path.Combine(layer, "etc", "app", "conf", "key"), []);
        File.WriteAllText(Path.Combine(layer, "etc", "app", "written-by-the-step"), "kept");
        Directory.CreateDirectory(Path.Combine(layer, "run", "other", "x"));
        File.WriteAllText(Path.Combine(layer, "run", "other", "x", "inside"), "kept");
        var before = Directory.GetLastWriteTimeUtc(Path.Combine(layer, "etc", "app"));

        MountStubs.Remove(layer, stubs);
        Assert.False(Directory.Exists(Path.Combine(layer, "run", "secrets")));
        Assert.False(Directory.Exists(Path.Combine(layer, "etc", "app", "conf")));
        Assert.True(File.Exists(Path.Combine(layer, "etc", "app", "written-by-the-step")));
        Assert.Equal(before, Directory.GetLastWriteTimeUtc(Path.Combine(layer, "etc", "app")));
        Assert.True(File.Exists(Path.Combine(layer, "run", "other", "x", "inside")));
        Assert.True(Directory.Exists(Path.Combine(layer, "run"))); // not a stub: the image has it
    }
}
