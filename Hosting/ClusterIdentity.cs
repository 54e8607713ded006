using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace OrleansWg.Hosting;

/// <summary>
/// This process in the cluster: its certificate from the cluster's own CA, which every TLS link
/// in the cluster requires of both ends, and the role credential signed for it. An enrolled node
/// renews both while it runs (<see cref="Renew"/>): its open links keep going, new ones show the new certificate.
/// </summary>
public sealed class ClusterIdentity
{
    private const string OrganizationalUnitOid = "2.5.4.11";
    private volatile Renewable current;

    public ClusterIdentity(X509Certificate2 authority, X509Certificate2 certificate, string credential, X509Certificate2? nodeAuthority = null)
    {
        Authority = authority;
        NodeAuthority = nodeAuthority;
        current = new Renewable(certificate, credential);
    }

    public X509Certificate2 Authority { get; }

    /// <summary>The node CA: a silo's, to know enrolled nodes by; null in every other process.</summary>
    public X509Certificate2? NodeAuthority { get; }

    public X509Certificate2 Certificate => current.Certificate;

    /// <summary>Sent with every grain call this process makes to a silo; see <see cref="RoleCredential"/>.</summary>
    public string Credential => current.Credential;

    public static ClusterIdentity Load(ClusterTlsSettings settings)
    {
        string Required(string path, string key) => File.Exists(path)
            ? path
            : throw new InvalidOperationException($"Cluster:Tls:{key} (env Cluster__Tls__{key}) must name a file; '{path}' does not exist");

        return new ClusterIdentity(
            X509CertificateLoader.LoadCertificateFromFile(Required(settings.Authority, "Authority")),
            X509Certificate2.CreateFromPemFile(Required(settings.Certificate, "Certificate"), Required(settings.Key, "Key")),
            File.ReadAllText(Required(settings.Credential, "Credential")).Trim(),
            settings.NodeAuthority.Length > 0 ? X509CertificateLoader.LoadCertificateFromFile(Required(settings.NodeAuthority, "NodeAuthority")) : null);
    }

    /// <summary>Takes a renewed certificate and credential: links opened from now on show them.</summary>
    public void Renew(X509Certificate2 certificate, string credential) => current = new Renewable(certificate, credential);

    /// <summary>Mutual TLS: this process shows its certificate, and accepts only the other end's from the same CA.</summary>
    public void Configure(TlsOptions options)
    {
        options.LocalCertificate = Certificate;
        // Asked at each new link, so a renewed certificate is shown from then on.
        options.LocalClientCertificateSelector = (_, _, _, _, _) => Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        // Host names mean nothing inside the cluster: the CA is the whole of the trust.
        options.RemoteCertificateValidation = (certificate, _, _) => IsIssuedByAuthority(certificate);
    }

    /// <summary>
    /// The role a cluster certificate names: its subject's organizational unit (OU), which
    /// scripts/lib/pki.sh sets to silo, gateway or node; null when it names none or several.
    /// </summary>
    public static string? RoleOf(X509Certificate2 certificate)
    {
        var units = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(name => !name.HasMultipleElements && name.GetSingleElementType().Value == OrganizationalUnitOid)
            .Select(name => name.GetSingleElementValue()).ToList();
        return units is [var role] ? role : null;
    }

    /// <summary>
    /// Whether the certificate chains to the cluster's CA and is within its dates. Through the node
    /// CA (where this process knows it) only a certificate of role node does: the silos hold the
    /// node CA's key, and it must not make a silo or a Gateway.
    /// </summary>
    public bool IsIssuedByAuthority(X509Certificate2 certificate) =>
        CertificateChains.ChainsTo(certificate, Authority, out var throughNodeAuthority, NodeAuthority)
        && (!throughNodeAuthority || RoleOf(certificate) == CallerRole.Node);

    private sealed record Renewable(X509Certificate2 Certificate, string Credential);
}
