using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OrleansWg.Hosting;

namespace OrleansWg.Integration.Tests;

/// <summary>The node CA that the silos hold signs nodes and nothing else a silo accepts, whatever the certificate claims.</summary>
public sealed class NodeAuthorityTests
{
    [Fact]
    public async Task A_silo_accepts_a_certificate_of_the_node_CA_as_a_node_only_never_as_a_silo_or_a_gateway()
    {
        using var pki = Pki.Create();
        await pki.MemberAsync("silo", "silo");
        using var nodeAuthority = X509Certificate2.CreateFromPemFile(Path.Combine(pki.Directory, "node-ca.pem"), Path.Combine(pki.Directory, "node-ca.key"));
        var silo = ClusterIdentity.Load(new ClusterTlsSettings
        {
            Authority = Path.Combine(pki.Directory, "ca.pem"),
            Certificate = Path.Combine(pki.Directory, "silo.pem"),
            Key = Path.Combine(pki.Directory, "silo.key"),
            Credential = Path.Combine(pki.Directory, "silo.credential"),
            NodeAuthority = Path.Combine(pki.Directory, "node-ca.pem"),
        });

        Assert.True(silo.IsIssuedByAuthority(Signed(nodeAuthority, "node")));
        Assert.False(silo.IsIssuedByAuthority(Signed(nodeAuthority, "silo")));
        Assert.False(silo.IsIssuedByAuthority(Signed(nodeAuthority, "gateway")));
    }

    private static X509Certificate2 Signed(X509Certificate2 issuer, string role)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=forged, OU={role}", key, HashAlgorithmName.SHA256);
        return request.Create(issuer, new DateTimeOffset(issuer.NotBefore.ToUniversalTime()), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(8));
    }
}
