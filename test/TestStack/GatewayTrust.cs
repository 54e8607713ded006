using System.Security.Cryptography.X509Certificates;

namespace OrleansWg.TestStack;

/// <summary>HTTPS to a Gateway whose certificate is self-signed: that one certificate is trusted, nothing else.</summary>
public static class GatewayTrust
{
    public static HttpClientHandler Handler(string certificateFile)
    {
        var trusted = X509CertificateLoader.LoadCertificateFromFile(certificateFile);
        return new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == trusted.Thumbprint };
    }
}
