using Berth.TestSupport;

namespace Berth.Distribution.Tests.Server;

/// <summary>Real clients against <c>berth registry serve</c> with auth: dockerd through the token flow, skopeo over TLS with a test CA and basic auth.</summary>
public class AuthenticatedClientTests
{
    [Fact]
    public void Docker_pushes_only_with_a_token_that_has_the_push_scope()
    {
        string directory = Directory.CreateTempSubdirectory("berth-test-token-").FullName;
        try
        {
            string htpasswd = AuthTests.WriteHtpasswd(directory, ("reader", "read-pw"), ("writer", "write-pw"));
            string acl = Path.Combine(directory, "acl");
            File.WriteAllText(acl, "reader * pull\nwriter * pull,push\n");
            using var registry = new BerthRegistry("--auth", "token", "--htpasswd", htpasswd, "--token-acl", acl);
            using var docker = new DockerDaemon();
            string image = $"{registry.Address}/team/busybox:v1";
            docker.Cli("tag", DockerDaemon.Image, image).EnsureSuccess("docker tag");

            var anonymous = docker.Cli("push", image);
            Assert.NotEqual(0, anonymous.ExitCode);

            docker.Cli("login", registry.Address!, "-u", "reader", "-p", "read-pw").EnsureSuccess("docker login as reader");
            var reader = docker.Cli("push", image);
            Assert.NotEqual(0, reader.ExitCode);
            Assert.Contains("denied", reader.Stderr + reader.Stdout);
            Assert.False(Directory.Exists(Path.Combine(registry.Root, "repositories", "team", "busybox", "_manifests")));

            var badLogin = docker.Cli("login", registry.Address!, "-u", "writer", "-p", "wrong");
            Assert.NotEqual(0, badLogin.ExitCode);
            docker.Cli("login", registry.Address!, "-u", "writer", "-p", "write-pw").EnsureSuccess("docker login as writer");
            docker.Cli("push", image).EnsureSuccess("docker push as writer");

            docker.Cli("login", registry.Address!, "-u", "reader", "-p", "read-pw").EnsureSuccess("docker login as reader again");
            docker.Cli("rmi", image).EnsureSuccess("docker rmi");
            docker.Cli("pull", image).EnsureSuccess("docker pull as reader");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Skopeo_copies_over_tls_trusting_a_test_ca_with_basic_auth()
    {
        string directory = Directory.CreateTempSubdirectory("berth-test-tls-").FullName;
        string layout = Path.Combine(directory, "layout");
        try
        {
            using var authority = TestCertificates.CreateAuthority("berth test registry CA");
            using var certificate = TestCertificates.CreateServer(authority);
            string certs = Path.Combine(directory, "certs");
            Directory.CreateDirectory(certs);
            TestCertificates.WritePem(authority, Path.Combine(certs, "ca.crt"));
            TestCertificates.WritePem(certificate, Path.Combine(directory, "server.crt"), Path.Combine(directory, "server.key"));
            string htpasswd = AuthTests.WriteHtpasswd(directory, ("alice", "s3cret"));
            using var registry = new BerthRegistry("--tls-cert", Path.Combine(directory, "server.crt"), "--tls-key", Path.Combine(directory, "server.key"), "--htpasswd", htpasswd);

            Directory.CreateDirectory(layout);
            var (layer, diffId) = OciLayoutBuilder.Layer(layout, new Dictionary<string, string> { ["hello"] = "over tls\n" });
            OciLayoutBuilder.Finish(layout, OciLayoutBuilder.Image(layout, layer, "amd64", diffId), "tls");
            string skopeo = HostTools.Require("skopeo", "skopeo");
            string target = $"docker://{registry.Address}/secure/app:v1";

            var untrusted = ProcessRunner.Run(skopeo, ["copy", "--dest-creds", "alice:s3cret", $"oci:{layout}:tls", target]);
            Assert.NotEqual(0, untrusted.ExitCode);
            Assert.Contains("certificate", untrusted.Stderr);
            var anonymous = ProcessRunner.Run(skopeo, ["copy", "--dest-cert-dir", certs, $"oci:{layout}:tls", target]);
            Assert.NotEqual(0, anonymous.ExitCode);

            ProcessRunner.Run(skopeo, ["copy", "--dest-cert-dir", certs, "--dest-creds", "alice:s3cret", $"oci:{layout}:tls", target]).EnsureSuccess("skopeo copy over TLS");
            string config = ProcessRunner.Run(skopeo, ["inspect", "--config", "--cert-dir", certs, "--creds", "alice:s3cret", target]).EnsureSuccess("skopeo inspect over TLS").Stdout;
            Assert.Contains(diffId.ToString(), config);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
