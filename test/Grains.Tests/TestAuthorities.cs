using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OrleansWg.Grains.Servers;

namespace OrleansWg.Grains.Tests;

/// <summary>A cluster CA and a node CA below it, made in memory as scripts/lib/pki.sh makes them on disk: what the test silos issue node certificates with.</summary>
public static class TestAuthorities
{
    public static X509Certificate2 Authority { get; } = Make("CN=test cluster CA", issuer: null);

    public static X509Certificate2 NodeAuthority { get; } = Make("CN=test node CA, OU=node-ca", issuer: Authority);

    public static NodeCertificateIssuer Issuer { get; } = new(Authority, NodeAuthority);

    /// <param name="issuer">The CA that signs it, with its key; null: it signs itself. A CA below another may sign no CA below it.</param>
    private static X509Certificate2 Make(string subject, X509Certificate2? issuer)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, issuer is not null, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // Long enough for the collections whose clock runs ahead; a CA below another ends before it.
        var from = DateTimeOffset.UtcNow.AddDays(-1);
        var until = issuer is null ? DateTimeOffset.UtcNow.AddYears(10) : new DateTimeOffset(issuer.NotAfter.ToUniversalTime()).AddDays(-1);
        if (issuer is null)
        {
            return request.CreateSelfSigned(from, until);
        }

        using var signed = request.Create(issuer, from, until, RandomNumberGenerator.GetBytes(8));
        return signed.CopyWithPrivateKey(key);
    }
}
