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
public sealed class NodeCertificateIssuer
{
    // A node's clock and the silo's may differ a little: a certificate is valid from a little before it is made.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly X509Certificate2 authority;
    private readonly X509Certificate2 nodeAuthority;

    /// <param name="authority">The cluster's CA: a new node learns it from its enrollment, to know the silos by.</param>
    /// <param name="nodeAuthority">The node CA, with its private key.</param>
    /// <exception cref="InvalidOperationException">The node CA has no ECDSA private key, or the cluster's CA did not sign it: a silo refuses to start.</exception>
    public NodeCertificateIssuer(X509Certificate2 authority, X509Certificate2 nodeAuthority)
    {
        using (var key = nodeAuthority.GetECDsaPrivateKey())
        {
            _ = key ?? throw new InvalidOperationException("the node CA's key is not an ECDSA private key");
        }

        if (!CertificateChains.ChainsTo(nodeAuthority, authority, out _))
        {
            throw new InvalidOperationException($"the node CA ({nodeAuthority.Subject}) is not signed by the cluster's CA ({authority.Subject}), or has expired: make it again (pki_node_authority)");
        }

        this.authority = authority;
        this.nodeAuthority = nodeAuthority;
    }

    /// <returns>
    /// The request, when <paramref name="certificateRequestPem"/> is a PEM certificate signing request of an
    /// ECDSA key that signed it (whoever sent it holds the private key); else null.
    /// </returns>
    public static CertificateRequest? ReadRequest(string certificateRequestPem)
    {
        try
        {
            var request = CertificateRequest.LoadSigningRequestPem(certificateRequestPem, HashAlgorithmName.SHA256);
            using var key = request.PublicKey.GetECDsaPublicKey();
            return key is null ? null : request;
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    /// <param name="request">A request <see cref="ReadRequest"/> read: only its public key is taken.</param>
    public NodeIdentity Issue(string serverId, CertificateRequest request, DateTimeOffset now, TimeSpan lifetime)
    {
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
