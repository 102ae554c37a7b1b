using System.Text;
using Berth.Oci.Image;

namespace Berth.Oci.Tests.Image;

/// <summary>The values read from real-world-shaped documents.</summary>
public sealed class ModelTests
{
    [Fact]
    public void Dockerfile_built_config()
    {
        ImageConfig config = OciImageJson.Read<ImageConfig>(RoundTripTests.Fixture(nameof(ImageFixtures.AppConfig)), "config");
        ExecutionConfig run = config.Config!;

        Assert.Equal(new Platform { OS = "linux", Architecture = "amd64" }, config.Platform);
        Assert.Equal("2024-10-01T12:34:56.123456789Z", config.Created.ToString());
        Assert.Equal(123456789, config.Created!.Value.Nanosecond);
        Assert.Equal("app", run.User);
        Assert.Equal(["443/tcp", "8080/tcp"], run.ExposedPorts!);
        Assert.Equal(["/srv/data"], run.Volumes!);
        Assert.Equal("Berth <berth@example.com>", run.Labels!["maintainer"]);
        Assert.Equal(["/usr/local/bin/app"], run.Entrypoint!);
        Assert.Equal(["--listen", ":8080"], run.Cmd!);
        Assert.Equal("SIGTERM", run.StopSignal);
        Assert.Equal(TimeSpan.FromSeconds(30), TimeSpan.FromTicks(run.Healthcheck!.Interval / 100));
        Assert.Equal(1_500_000_000, run.Healthcheck.StartPeriod);
        Assert.Equal(0, run.Healthcheck.StartInterval);
        Assert.Equal(3, run.Healthcheck.Retries);
        Assert.Equal(["RUN echo child"], run.OnBuild!);
        Assert.Equal(["/bin/bash", "-o", "pipefail", "-c"], run.Shell!);
        Assert.Equal([false, true, false, true, false], config.History!.Select(h => h.EmptyLayer));
        Assert.Equal(config.RootFS!.DiffIds!.Count, config.History!.Count(h => !h.EmptyLayer));
        Assert.Equal("RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends wget && rm -rf /var/lib/apt/lists/* # buildkit", config.History![2].CreatedBy);
        Assert.Equal("buildkit.dockerfile.v0", config.History[2].Comment);
    }

    [Fact]
    public void Docker_manifest_list_platforms()
    {
        ImageIndex list = OciImageJson.Read<ImageIndex>(RoundTripTests.Fixture(nameof(ImageFixtures.DockerManifestList)), "list");

        Assert.True(list.IsDocker);
        Assert.Equal(MediaTypes.DockerManifestList, list.MediaType);
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], list.Manifests!.Select(m => m.Platform!.ToString()));
        Assert.All(list.Manifests!, m => Assert.Equal(MediaTypes.DockerManifest, m.MediaType));
    }

    [Fact]
    public void Oci_index_attestation()
    {
        ImageIndex index = OciImageJson.Read<ImageIndex>(RoundTripTests.Fixture(nameof(ImageFixtures.OciIndex)), "index");
        Descriptor attestation = index.Manifests![1];

        Assert.False(index.IsDocker);
        Assert.Equal("unknown/unknown", attestation.Platform!.ToString());
        Assert.Equal("attestation-manifest", attestation.Annotations!["vnd.docker.reference.type"]);
        Assert.Equal(index.Manifests[0].Digest.ToString(), attestation.Annotations["vnd.docker.reference.digest"]);
    }

    [Fact]
    public void Oci_artifact_with_subject_and_embedded_empty_layer()
    {
        ImageManifest artifact = OciImageJson.Read<ImageManifest>(RoundTripTests.Fixture(nameof(ImageFixtures.OciArtifactManifest)), "artifact");

        Assert.Equal("application/vnd.example.signature.v1+json", artifact.ArtifactType);
        Assert.Equal(MediaTypes.OciEmpty, artifact.Config!.MediaType);
        Assert.Equal("{}"u8.ToArray(), artifact.Layers![0].Data);
        Assert.Equal(Digest.FromBytes(RoundTripTests.Fixture(nameof(ImageFixtures.OciManifestAmd64))), artifact.Subject!.Digest);
    }

    [Fact]
    public void Docker_manifest_writes_its_descriptors_in_dockers_order_and_oci_in_ocis()
    {
        Descriptor config = Descriptor.For(MediaTypes.DockerConfig, "{}"u8);
        ImageManifest docker = new() { MediaType = MediaTypes.DockerManifest, Config = config, Layers = [] };
        ImageManifest oci = docker with { MediaType = MediaTypes.OciManifest, Config = config with { MediaType = MediaTypes.OciConfig } };

        Assert.Contains("\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":2,\"digest\":", Encoding.UTF8.GetString(OciImageJson.Write(docker)));
        Assert.Contains("\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2}", Encoding.UTF8.GetString(OciImageJson.Write(oci)));
        Assert.EndsWith("\"layers\":[]}", Encoding.UTF8.GetString(OciImageJson.Write(oci)));
    }

    [Fact]
    public void Go_omitempty_and_always_written_fields()
    {
        ImageConfig config = new()
        {
            Config = new ExecutionConfig { User = "", Env = [], ArgsEscaped = false, StopTimeout = 0, Healthcheck = new HealthcheckConfig() },
            RootFS = new RootFS(),
            History = [new History { EmptyLayer = false, Comment = "" }],
        };

        // architecture and os have no omitempty in Go; StopTimeout is a Go *int, written when set even to 0;
        // rootfs.diff_ids is a nil Go slice, written as null.
        Assert.Equal(
            """{"architecture":"","config":{"Healthcheck":{},"StopTimeout":0},"history":[{}],"os":"","rootfs":{"type":"layers","diff_ids":null}}""",
            Encoding.UTF8.GetString(OciImageJson.Write(config)));
    }
}
