using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace OrleansWg.Hosting;

/// <summary>
/// This process in the cluster: its certificate from the cluster's own CA, which every TLS link
/// in the cluster requires of both ends, and the role credential the CA signed for it.
/// </summary>
public sealed class ClusterIdentity
{
    private const string OrganizationalUnitOid = "2.5.4.11";

    private ClusterIdentity(X509Certificate2 authority, X509Certificate2 certificate, string credential)
    {
        Authority = authority;
        Certificate = certificate;
        Credential = credential;
    }

    public X509Certificate2 Authority { get; }

    public X509Certificate2 Certificate { get; }

    /// <summary>Sent with every grain call this process makes to a silo; see <see cref="RoleCredential"/>.</summary>
    public string Credential { get; }

    public static ClusterIdentity Load(ClusterTlsSettings settings)
    {
        string Required(string path, string key) => File.Exists(path)
            ? path
            : throw new InvalidOperationException($"Cluster:Tls:{key} (env Cluster__Tls__{key}) must name a file; '{path}' does not exist");

        return new ClusterIdentity(
            X509CertificateLoader.LoadCertificateFromFile(Required(settings.Authority, "Authority")),
            X509Certificate2.CreateFromPemFile(Required(settings.Certificate, "Certificate"), Required(settings.Key, "Key")),
            File.ReadAllText(Required(settings.Credential, "Credential")).Trim());
    }

    /// <summary>Mutual TLS: this process shows its certificate, and accepts only the other end's from the same CA.</summary>
    public void Configure(TlsOptions options)
    {
        options.LocalCertificate = Certificate;
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

    public bool IsIssuedByAuthority(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
