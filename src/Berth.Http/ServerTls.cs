using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Http;

/// <summary>
/// TLS for a TCP listener, as dockerd's <c>--tlscert/--tlskey</c> and, with <see cref="ClientCertificateAuthorities"/>,
/// <c>--tlsverify --tlscacert</c>: every client must then present a certificate that chains to one of those
/// authorities (mutual TLS). TLS 1.2 and 1.3 only.
/// </summary>
/// <param name="Certificate">The server certificate with its private key.</param>
/// <param name="ClientCertificateAuthorities">The CAs that sign client certificates; null accepts any client without one.</param>
public sealed record ServerTls(X509Certificate2 Certificate, X509Certificate2Collection? ClientCertificateAuthorities = null)
{
    public bool RequiresClientCertificate => ClientCertificateAuthorities is { Count: > 0 };

    /// <summary>
    /// Handshake options, built once per listener. With client authorities the chain is built against them alone
    /// (not the system store), for client authentication, without revocation checks, as Go's
    /// <c>tls.RequireAndVerifyClientCert</c> with <c>ClientCAs</c>.
    /// </summary>
    internal SslServerAuthenticationOptions CreateAuthenticationOptions()
    {
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(Certificate, additionalCertificates: null, offline: true),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateRequired = RequiresClientCertificate,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (RequiresClientCertificate)
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(ClientCertificateAuthorities!);
            policy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2")); // id-kp-clientAuth
            options.CertificateChainPolicy = policy;
            options.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is not null && errors == SslPolicyErrors.None;
        }
        return options;
    }
}
