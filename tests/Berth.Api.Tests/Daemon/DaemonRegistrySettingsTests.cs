using Berth.Api.Daemon;

namespace Berth.Api.Tests.Daemon;

/// <summary>dockerd's insecure-registries and registry-mirrors, in daemon.json and as repeated flags.</summary>
public sealed class DaemonRegistrySettingsTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("berth-daemon-settings-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_file_and_the_flags_add_up()
    {
        string config = Path.Combine(_dir, "daemon.json");
        File.WriteAllText(config, """{"insecure-registries":["registry.example:5000"],"registry-mirrors":["http://127.0.0.1:5001"]}""");
        var engine = DaemonSettingsParser.Parse(["--config-file", config, "--insecure-registry", "10.0.0.0/8", "--registry-mirror=https://mirror.example"]).Engine;
        Assert.Equal(["registry.example:5000", "10.0.0.0/8"], engine.InsecureRegistries);
        Assert.Equal(["http://127.0.0.1:5001", "https://mirror.example"], engine.RegistryMirrors);
    }

    [Fact]
    public void None_by_default()
    {
        string config = Path.Combine(_dir, "daemon.json");
        File.WriteAllText(config, "{}");
        var engine = DaemonSettingsParser.Parse(["--config-file", config]).Engine;
        Assert.Empty(engine.InsecureRegistries);
        Assert.Empty(engine.RegistryMirrors);
    }
}
