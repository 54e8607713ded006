using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansWg.NodeHost.Enrollment;

/// <summary>A node's new key and the request for its certificate: the key stays on the node, the request goes to the cluster.</summary>
public static class CertificateRequests
{
    /// <returns>A new EC P-256 key, and a PEM certificate signing request of it (the silo sets the certificate's subject itself).</returns>
    public static (ECDsa Key, string RequestPem) New(string serverId)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={serverId}", key, HashAlgorithmName.SHA256);
        return (key, request.CreateSigningRequestPem());
    }
}
