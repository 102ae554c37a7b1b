using System.Text.Json;
using Berth.Build.Dockerfile;
using Berth.Images;
using Berth.Oci.Image;
using Berth.TestSupport;

namespace Berth.Build.Tests.Dockerfile;

/// <summary>
/// The same --change lines given to the real <c>docker import</c> (dockerd 20.10) and to
/// <see cref="ConfigChanges"/>: the configs agree field by field, and lines Docker refuses are refused.
/// </summary>
public sealed class ConfigChangeDockerTests(DockerDaemon docker) : IClassFixture<DockerDaemon>
{
    public static TheoryData<string[]> Accepted =>
    [
        ["CMD [\"sh\", \"-c\", \"echo hi\"]", "ENTRYPOINT [\"/bin/env\"]"],
        ["ENTRYPOINT /bin/sh -c 'echo $HOME'", "CMD echo a \"b c\""],
        ["ENV A=1 B=\"two words\"", "ENV C ${A}-${B:-x}-${UNSET:-default}", "ENV A=3"],
        ["EXPOSE 80 53/udp 8000-8002/tcp", "LABEL a=b \"c d\"=\"e f\"", "LABEL a=overridden"],
        ["USER 1000:1000", "WORKDIR /srv", "WORKDIR app/../data", "VOLUME /data /logs", "VOLUME [\"/cache\"]"],
        ["ONBUILD RUN echo built", "ONBUILD ENV X=1"],
        ["CMD [\"x\"]", "ENTRYPOINT [\"y\"]"],
    ];

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Our_config_is_dockers(string[] changes)
    {
        string image = TestIds.New("change");
        var args = new List<string> { "import" };
        foreach (string change in changes)
            args.AddRange(["--change", change]);
        args.AddRange([RootfsTar(), image]);
        docker.Cli(args).EnsureSuccess("docker import --change");
        try
        {
            using var theirs = JsonDocument.Parse(docker.Inspect(image, "{{json .Config}}"));
            var ours = ConfigChanges.Apply(null, changes);
            var config = theirs.RootElement;
            Assert.Equal(Strings(config, "Cmd"), ours.Cmd ?? []);
            Assert.Equal(Strings(config, "Entrypoint"), ours.Entrypoint ?? []);
            Assert.Equal(Strings(config, "Env"), ours.Env ?? []);
            Assert.Equal(Strings(config, "OnBuild"), ours.OnBuild ?? []);
            Assert.Equal(Keys(config, "ExposedPorts"), (ours.ExposedPorts ?? new HashSet<string>()).Order(StringComparer.Ordinal));
            Assert.Equal(Keys(config, "Volumes"), (ours.Volumes ?? new HashSet<string>()).Order(StringComparer.Ordinal));
            Assert.Equal(Labels(config), (ours.Labels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
            Assert.Equal(Text(config, "User"), ours.User ?? "");
            Assert.Equal(Text(config, "WorkingDir"), ours.WorkingDir ?? "");
        }
        finally
        {
            docker.Cli("rmi", image);
        }
    }

    [Theory]
    [InlineData("FROM busybox")]
    [InlineData("RUN echo no")]
    [InlineData("EXPOSE notaport")]
    [InlineData("USER --chown=1 x")]
    [InlineData("ENV X=${A")]
    [InlineData("ENV X=${A:x}")]
    [InlineData("LABEL X=\"a")]
    [InlineData("ENV")]
    [InlineData("ONBUILD ONBUILD RUN x")]
    public void What_docker_refuses_we_refuse(string change)
    {
        var result = docker.Cli("import", "--change", change, RootfsTar(), TestIds.New("refused"));
        Assert.NotEqual(0, result.ExitCode);
        var error = Assert.Throws<StoreException>(() => ConfigChanges.Apply(null, [change]));
        Assert.Equal(StoreErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(error.Message, result.Stderr);
    }

    /// <summary>A rootfs tar of this test's own, in the daemon's sandbox (removed with it).</summary>
    string RootfsTar() => BusyboxRootfs.Tar(docker.PathOf($"{TestIds.New("rootfs")}.tar"));

    static string Text(JsonElement config, string name) => config.TryGetProperty(name, out var value) ? value.GetString() ?? "" : "";

    static IReadOnlyList<string> Strings(JsonElement config, string name)
        => config.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(e => e.GetString()!)] : [];

    static IReadOnlyList<string> Keys(JsonElement config, string name)
        => config.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? [.. value.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)] : [];

    static IReadOnlyList<string> Labels(JsonElement config)
        => config.TryGetProperty("Labels", out var value) && value.ValueKind == JsonValueKind.Object
            ? [.. value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}={p.Value.GetString()}")]
            : [];
}
