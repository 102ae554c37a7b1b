using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Cli.Tests.Client;

/// <summary>
/// --tls and --tlsverify against a daemon on loopback TCP that requires a client certificate from its CA (as berthd
/// and dockerd with --tlsverify do). Certificates are made here: a CA, a server certificate for 127.0.0.1, client
/// certificates from that CA and from another.
/// </summary>
public sealed class TlsTests : IDisposable
{
    readonly X509Certificate2 _ca = MakeCa("berth test CA");
    readonly X509Certificate2 _otherCa = MakeCa("someone else's CA");
    readonly FakeDaemon _daemon;

    public TlsTests()
    {
        var server = Issue(_ca, "127.0.0.1", serverAuth: true);
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(_ca);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificate = server,
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateChainPolicy = policy,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => certificate is not null && errors == SslPolicyErrors.None,
        };
        _daemon = new FakeDaemon((r, s, c) => r.Path switch
        {
            "/_ping" => FakeDaemon.PingAsync(s, "1.50"),
            "/v1.50/containers/json" => FakeDaemon.RespondAsync(s, 200, "[]"),
            _ => FakeDaemon.RespondAsync(s, 404, "{\"message\":\"unexpected\"}"),
        }, options);
        WritePem("ca.pem", _ca);
        WritePem("other-ca.pem", _otherCa);
        WriteKeyPair("cert.pem", "key.pem", Issue(_ca, "client", serverAuth: false));
        WriteKeyPair("stranger-cert.pem", "stranger-key.pem", Issue(_otherCa, "client", serverAuth: false));
    }

    string Host => $"tcp://127.0.0.1:{_daemon.Port}";

    CliRun Berth(params string[] args) => TestCli.Run(["-H", Host, .. args, "ps", "-q"], new Dictionary<string, string?>(), "");

    [Fact]
    public void Verified_mutual_tls_works()
    {
        var run = Berth("--tlsverify", "--tlscacert", _daemon.PathOf("ca.pem"), "--tlscert", _daemon.PathOf("cert.pem"), "--tlskey", _daemon.PathOf("key.pem"));
        Assert.Equal("", run.Stderr);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public void Cert_path_from_the_environment_is_used()
    {
        var env = new Dictionary<string, string?> { ["BERTH_CERT_PATH"] = Path.GetDirectoryName(_daemon.PathOf("ca.pem")), ["BERTH_TLS_VERIFY"] = "1", ["BERTH_HOST"] = Host };
        var run = TestCli.Run(["ps", "-q"], env, "");
        Assert.Equal("", run.Stderr);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public void A_daemon_certificate_from_another_ca_is_refused()
    {
        var run = Berth("--tlsverify", "--tlscacert", _daemon.PathOf("other-ca.pem"), "--tlscert", _daemon.PathOf("cert.pem"), "--tlskey", _daemon.PathOf("key.pem"));
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"error during connect: TLS handshake with {Host} failed", run.Stderr);
    }

    [Fact]
    public void Tls_without_verify_accepts_the_daemon_but_still_shows_the_client_certificate()
    {
        var run = Berth("--tls", "--tlscacert", _daemon.PathOf("other-ca.pem"), "--tlscert", _daemon.PathOf("cert.pem"), "--tlskey", _daemon.PathOf("key.pem"));
        Assert.Equal("", run.Stderr);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public void A_client_certificate_the_daemon_does_not_trust_fails()
    {
        var run = Berth("--tlsverify", "--tlscacert", _daemon.PathOf("ca.pem"), "--tlscert", _daemon.PathOf("stranger-cert.pem"), "--tlskey", _daemon.PathOf("stranger-key.pem"));
        Assert.Equal(1, run.ExitCode);
        Assert.NotEqual("", run.Stderr);
    }

    [Fact]
    public void Missing_key_files_are_named()
    {
        var run = Berth("--tlsverify", "--tlscacert", _daemon.PathOf("ca.pem"), "--tlscert", _daemon.PathOf("none.pem"), "--tlskey", _daemon.PathOf("none-key.pem"));
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("Failed to initialize: Could not load X509 key pair", run.Stderr);
    }

    static X509Certificate2 MakeCa(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    static X509Certificate2 Issue(X509Certificate2 ca, string name, bool serverAuth)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
            request.CertificateExtensions.Add(san.Build());
        }
        byte[] serial = RandomNumberGenerator.GetBytes(8);
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
        return issued.CopyWithPrivateKey(key);
    }

    void WritePem(string file, X509Certificate2 certificate) => File.WriteAllText(_daemon.PathOf(file), certificate.ExportCertificatePem());

    void WriteKeyPair(string certFile, string keyFile, X509Certificate2 certificate)
    {
        WritePem(certFile, certificate);
        File.WriteAllText(_daemon.PathOf(keyFile), certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose() => _daemon.Dispose();
}
