using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansWg.Grains.Servers;

/// <summary>
/// Signs enrolled nodes' certificates and role credentials with the node CA: a CA of its own that
/// the cluster's CA signed, which may sign nothing below it (path length 0), and which every silo
/// holds so that a node can join with only a join token. It signs the public key of a node's
/// certificate signing request (the private key never leaves the node) under a subject it sets
/// itself: the server's id and role node, whatever the request asked for.
/// </summary>
/// <param name="authority">The cluster's CA: a new node learns it from its enrollment, to know the silos by.</param>
/// <param name="nodeAuthority">The node CA, with its private key.</param>
public sealed class NodeCertificateIssuer(X509Certificate2 authority, X509Certificate2 nodeAuthority)
{
    // A node's clock and the silo's may differ a little: a certificate is valid from a little before it is made.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <exception cref="ArgumentException">The request is not a PEM certificate signing request of an ECDSA key that it signed itself.</exception>
    public NodeIdentity Issue(string serverId, string certificateRequestPem, DateTimeOffset now, TimeSpan lifetime)
    {
        CertificateRequest request;
        try
        {
            // Checks the request's own signature: whoever sent it holds its private key.
            request = CertificateRequest.LoadSigningRequestPem(certificateRequestPem, HashAlgorithmName.SHA256);
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            throw new ArgumentException($"the certificate request is not a PEM certificate signing request that its key signed: {exception.Message}", exception);
        }

        using (var key = request.PublicKey.GetECDsaPublicKey())
        {
            _ = key ?? throw new ArgumentException("the certificate request's key is not an ECDSA key");
        }

        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(serverId);
        subject.AddOrganizationalUnitName(CallerRole.Node);
        var certificate = new CertificateRequest(subject.Build(), request.PublicKey, HashAlgorithmName.SHA256);
        certificate.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        certificate.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        certificate.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false)); // client authentication
        certificate.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(certificate.PublicKey, false));
        certificate.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(nodeAuthority, true, false));

        // Whole seconds, as the certificate keeps them, so that the credential ends when the certificate does.
        var authorityEnds = new DateTimeOffset(nodeAuthority.NotAfter.ToUniversalTime());
        var expires = DateTimeOffset.FromUnixTimeSeconds(Math.Min((now + lifetime).ToUnixTimeSeconds(), authorityEnds.ToUnixTimeSeconds()));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f; // a positive serial number, as X.509 wants
        var authorityStarts = new DateTimeOffset(nodeAuthority.NotBefore.ToUniversalTime());
        using var issued = certificate.Create(nodeAuthority, now - ClockSkew > authorityStarts ? now - ClockSkew : authorityStarts, expires, serial);
        using var signingKey = nodeAuthority.GetECDsaPrivateKey()!;
        var serialHex = issued.SerialNumber;
        var credential = RoleCredential.Sign(new CallerRole(CallerRole.Node, serverId, serialHex, expires), signingKey);
        return new NodeIdentity(issued.ExportCertificatePem() + "\n" + nodeAuthority.ExportCertificatePem() + "\n", credential,
            authority.ExportCertificatePem() + "\n", serialHex, expires);
    }
}
