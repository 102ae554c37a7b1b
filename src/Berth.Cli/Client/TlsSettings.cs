using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Cli.Client;

/// <summary>
/// The client side of berthd's mutual TLS, as docker's --tls/--tlsverify flags set it up: with --tlsverify the
/// daemon's certificate must chain to the given CA (and name the host); with --tls alone it is not checked. The client
/// certificate and key are presented when they exist.
/// </summary>
internal sealed class TlsSettings
{
    public TlsSettings(bool verify, string caFile, string certFile, string keyFile, bool filesGivenExplicitly)
    {
        Verify = verify;
        CaFile = caFile;
        CertFile = certFile;
        KeyFile = keyFile;
        if (File.Exists(certFile) || filesGivenExplicitly && certFile.Length > 0)
        {
            try
            {
                ClientCertificate = X509Certificate2.CreateFromPemFile(certFile, keyFile);
            }
            catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
            {
                throw new EndpointException($"Could not load X509 key pair: {e.Message}. Make sure the key is not encrypted");
            }
        }
        if (verify)
        {
            try
            {
                Authorities = new X509Certificate2Collection();
                Authorities.ImportFromPemFile(caFile);
            }
            catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
            {
                throw new EndpointException($"unable to read CA certificate \"{caFile}\": {e.Message}");
            }
        }
    }

    public bool Verify { get; }

    public string CaFile { get; }

    public string CertFile { get; }

    public string KeyFile { get; }

    public X509Certificate2? ClientCertificate { get; }

    public X509Certificate2Collection? Authorities { get; }

    public SslClientAuthenticationOptions ClientOptions(string host) => new()
    {
        TargetHost = host,
        ClientCertificates = ClientCertificate is null ? null : [ClientCertificate],
        RemoteCertificateValidationCallback = Validate,
    };

    bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (!Verify)
            return true;
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
            return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(Authorities!);
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }
}
