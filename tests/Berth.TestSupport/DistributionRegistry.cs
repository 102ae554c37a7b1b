using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Linux;

namespace Berth.TestSupport;

/// <summary>
/// Debian's docker-registry (distribution 2.8, /usr/bin/docker-registry) on 127.0.0.1 and a free port, with its
/// own root in /tmp (berth-test-registry-*: storage, config, log, htpasswd), deletes enabled; with a user, basic
/// auth from an htpasswd file made by <c>htpasswd -B</c> (bcrypt, as distribution requires). Dispose stops it by
/// PID and removes its root, also when the test failed.
/// </summary>
public sealed class DistributionRegistry : IDisposable
{
    readonly Process _process;

    /// <param name="user">With a user and password: basic auth (htpasswd), else anonymous.</param>
    /// <param name="tokens">Docker's token flow instead: the registry trusts this issuer's tokens.</param>
    /// <param name="tls">Serve https with a self-signed certificate for 127.0.0.1 (made here) instead of http.</param>
    public DistributionRegistry(string? user = null, string? password = null, RegistryTokenIssuer? tokens = null, bool tls = false)
    {
        Tls = tls;
        string registry = HostTools.Require("docker-registry", "docker-registry");
        Root = Path.Combine(Path.GetTempPath(), TestIds.New("registry"));
        Directory.CreateDirectory(Root);
        try
        {
            Port = FreePort();
            string auth = "";
            if (user is not null)
            {
                string htpasswd = HostTools.Require("htpasswd", "apache2-utils");
                ProcessRunner.Run(htpasswd, ["-Bbc", PathOf("htpasswd"), user, password ?? ""]).EnsureSuccess("htpasswd -B");
                auth = $"auth:\n  htpasswd:\n    realm: berth-test\n    path: {PathOf("htpasswd")}\n";
            }
            if (tokens is not null)
            {
                File.WriteAllText(PathOf("token.crt"), tokens.CertificatePem);
                auth = $"auth:\n  token:\n    realm: {tokens.Realm}\n    service: {RegistryTokenIssuer.Service}\n"
                    + $"    issuer: {RegistryTokenIssuer.Issuer}\n    rootcertbundle: {PathOf("token.crt")}\n";
            }
            string httpTls = "";
            if (tls)
            {
                using var key = System.Security.Cryptography.RSA.Create(2048);
                var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", key,
                    System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
                var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
                san.AddIpAddress(IPAddress.Loopback);
                request.CertificateExtensions.Add(san.Build());
                using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
                File.WriteAllText(PathOf("tls.crt"), certificate.ExportCertificatePem());
                File.WriteAllText(PathOf("tls.key"), key.ExportPkcs8PrivateKeyPem());
                httpTls = $"  tls:\n    certificate: {PathOf("tls.crt")}\n    key: {PathOf("tls.key")}\n";
            }
            File.WriteAllText(PathOf("config.yml"), $"""
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: {PathOf("data")}
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:{Port}
                  secret: {Guid.NewGuid():N}
                {httpTls}{auth}
                """);
            var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
            foreach (string a in new[] { "-c", "log=$1; shift; exec \"$@\" >>\"$log\" 2>&1", "sh", PathOf("registry.log"), registry, "serve", PathOf("config.yml") })
                info.ArgumentList.Add(a);
            _process = Process.Start(info) ?? throw new InvalidOperationException("cannot start docker-registry");
            _process.StandardInput.Close();
            WaitUntilServing();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The registry's own directory: config.yml, registry.log, data/ (its storage).</summary>
    public string Root { get; }

    public int Port { get; }

    /// <summary>docker-registry's PID (the shell that started it exec'd it).</summary>
    public int Pid => _process.Id;

    /// <summary>Served over https (a self-signed certificate) rather than http.</summary>
    public bool Tls { get; }

    /// <summary>The registry as references name it: 127.0.0.1:PORT.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Where the registry keeps a blob's bytes (distribution's filesystem layout).</summary>
    public string BlobPath(string digest)
    {
        string hex = digest.Split(':')[1];
        return PathOf($"data/docker/registry/v2/blobs/sha256/{hex[..2]}/{hex}/data");
    }

    public string LogTail()
    {
        try
        {
            return string.Join('\n', File.ReadAllLines(PathOf("registry.log")).TakeLast(30));
        }
        catch (IOException)
        {
            return "(no registry log)";
        }
    }

    /// <summary>skopeo with plain http to this registry (--tls-verify=false on both sides where it applies).</summary>
    public static CommandResult Skopeo(params string[] args)
        => ProcessRunner.Run(HostTools.Require("skopeo", "skopeo"), ["--insecure-policy", .. args], timeout: TimeSpan.FromMinutes(2));

    void WaitUntilServing()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode}:\n{LogTail()}");
            try
            {
                using var response = http.GetAsync($"{(Tls ? "https" : "http")}://{Host}/v2/").GetAwaiter().GetResult();
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
                throw new InvalidOperationException($"docker-registry did not answer on {Host} within 30 s:\n{LogTail()}");
            Thread.Sleep(50);
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            if (_process is { HasExited: false } p)
            {
                Processes.TryKill(p.Id, Signals.SIGTERM);
                if (!p.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    Processes.TryKill(p.Id, Signals.SIGKILL);
                    p.WaitForExit(TimeSpan.FromSeconds(5));
                }
            }
            _process?.Dispose();
        }
        finally
        {
            if (Directory.Exists(Root))
                Directory.Delete(Root, recursive: true);
        }
    }
}
