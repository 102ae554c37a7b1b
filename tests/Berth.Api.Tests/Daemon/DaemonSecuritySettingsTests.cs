using Berth.Api.Daemon;

namespace Berth.Api.Tests.Daemon;

/// <summary>dockerd's init, init-path, seccomp-profile and no-new-privileges, as flags and in daemon.json.</summary>
public sealed class DaemonSecuritySettingsTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("berth-daemon-settings-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    Berth.Engine.EngineOptions Parse(string daemonJson, params string[] flags)
    {
        string config = Path.Combine(_dir, "daemon.json");
        File.WriteAllText(config, daemonJson);
        return DaemonSettingsParser.Parse(["--config-file", config, .. flags]).Engine;
    }

    [Fact]
    public void By_default_containers_get_no_init_and_docker_s_builtin_profile()
    {
        var engine = Parse("{}");
        Assert.False(engine.Init);
        Assert.False(engine.NoNewPrivileges);
        Assert.Equal(("builtin", null), (engine.SeccompProfile, engine.SeccompProfileJson));
        Assert.Equal("berth-init", Path.GetFileName(engine.InitPath));
        Assert.True(Path.IsPathRooted(engine.InitPath));
    }

    [Fact]
    public void Flags_and_daemon_json_set_them_and_flags_win()
    {
        var fromFile = Parse("""{"init": true, "init-path": "/opt/init", "no-new-privileges": true, "seccomp-profile": "unconfined"}""");
        Assert.Equal((true, "/opt/init", true, "unconfined"), (fromFile.Init, fromFile.InitPath, fromFile.NoNewPrivileges, fromFile.SeccompProfile));
        var fromFlags = Parse("""{"init": true, "seccomp-profile": "unconfined"}""", "--init=false", "--init-path", "/usr/libexec/init", "--seccomp-profile", "builtin");
        Assert.Equal((false, "/usr/libexec/init", "builtin"), (fromFlags.Init, fromFlags.InitPath, fromFlags.SeccompProfile));
    }

    [Fact]
    public void A_profile_file_is_read_once_at_start()
    {
        string profile = Path.Combine(_dir, "profile.json");
        File.WriteAllText(profile, """{"defaultAction": "SCMP_ACT_LOG"}""");
        var engine = Parse("{}", "--seccomp-profile", profile);
        Assert.Equal(profile, engine.SeccompProfile);
        Assert.Equal("""{"defaultAction": "SCMP_ACT_LOG"}""", engine.SeccompProfileJson);
    }

    [Fact]
    public void A_missing_or_bad_profile_file_stops_the_daemon_with_docker_s_words()
    {
        string missing = Path.Combine(_dir, "missing.json");
        Assert.Equal($"opening seccomp profile ({missing}) failed: open {missing}: no such file or directory",
            Assert.Throws<DaemonSettingsException>(() => Parse("{}", "--seccomp-profile", missing)).Message);
        string bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, """{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"name": "a", "names": ["b"]}]}""");
        Assert.Equal("both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'",
            Assert.Throws<DaemonSettingsException>(() => Parse("{}", "--seccomp-profile", bad)).Message);
    }
}
