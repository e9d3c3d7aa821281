using System.Net;
using System.Net.Security;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace VirtualIop.ProductionTests;

/// <summary>
/// A private certificate authority made for one run, and a server certificate it signed for localhost and 127.0.0.1.
/// The OIDC issuer and the SMTP server present the server certificate; the published services trust the authority
/// through <c>SSL_CERT_FILE</c>, which .NET on Linux reads into its root store as OpenSSL does, so they validate TLS
/// exactly as in production, only against another root. Like a real authority it publishes a revocation list at the
/// distribution point named in the server certificate: MailKit checks revocation, and fails the handshake without one.
/// </summary>
public sealed class TestCertificateAuthority : IAsyncDisposable
{
    WebApplication? revocationListServer;

    TestCertificateAuthority(X509Certificate2 authority, X509Certificate2 server, byte[] revocationList, Uri distributionPoint)
    {
        Authority = authority;
        Server = server;
        RevocationList = revocationList;
        DistributionPoint = distributionPoint;
    }

    /// <summary>The authority's certificate (no private key).</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>The authority's (empty) certificate revocation list, DER.</summary>
    public byte[] RevocationList { get; }

    /// <summary>Where the revocation list is served (plain http, as CRL distribution points are).</summary>
    public Uri DistributionPoint { get; }

    public static TestCertificateAuthority Create(int revocationListPort)
    {
        var distributionPoint = new Uri($"http://localhost:{revocationListPort}/ca.crl");
        var now = DateTimeOffset.UtcNow;
        using var authorityKey = RSA.Create(2048);
        var authorityRequest = new CertificateRequest("CN=VirtualIop production-test CA", authorityKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        authorityRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, false));
        using var authority = authorityRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        serverRequest.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([distributionPoint.ToString()]));
        using var serverPublic = serverRequest.Create(authority, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
        using var serverWithKey = serverPublic.CopyWithPrivateKey(serverKey);

        var revocationList = new CertificateRevocationListBuilder().Build(authority, BigInteger.One, now.AddDays(1), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        // Round-tripped through PKCS#12 so that the key is usable by SslStream on every platform.
        return new TestCertificateAuthority(
            X509CertificateLoader.LoadCertificate(authority.RawData),
            X509CertificateLoader.LoadPkcs12(serverWithKey.Export(X509ContentType.Pkcs12), null),
            revocationList, distributionPoint);
    }

    /// <summary>Serves the revocation list at <see cref="DistributionPoint"/> until disposed.</summary>
    public async Task ServeRevocationList()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(DistributionPoint.Port));
        revocationListServer = builder.Build();
        revocationListServer.MapGet(DistributionPoint.AbsolutePath, () => Results.Bytes(RevocationList, "application/pkix-crl"));
        await revocationListServer.StartAsync();
    }

    /// <summary>Writes the authority as PEM, the form <c>SSL_CERT_FILE</c> takes.</summary>
    public void WriteAuthorityPem(string path) => File.WriteAllText(path, Authority.ExportCertificatePem());

    /// <summary>Writes the server certificate and key as a password-protected PKCS#12 file (for smtp4dev).</summary>
    public void WriteServerPkcs12(string path, string password) => File.WriteAllBytes(path, Server.Export(X509ContentType.Pkcs12, password));

    /// <summary>An HttpClient handler for this process that trusts the authority, and only it.</summary>
    public HttpClientHandler TrustingHandler() => new()
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(Authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(certificate);
        }
    };

    public async ValueTask DisposeAsync()
    {
        if (revocationListServer is not null) await revocationListServer.DisposeAsync();
        Authority.Dispose();
        Server.Dispose();
    }
}
