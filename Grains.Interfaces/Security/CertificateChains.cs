using System.Security.Cryptography.X509Certificates;

namespace OrleansWg;

/// <summary>
/// Whether a certificate chains to a CA of the installation's own: never to the system's CAs, with
/// no revocation lists, and with no certificate fetched from an address a certificate names.
/// </summary>
public static class CertificateChains
{
    /// <param name="intermediate">A CA below <paramref name="root"/> the chain may go through (the node CA); null: none.</param>
    /// <param name="throughIntermediate">Whether it does.</param>
    /// <param name="at">When every certificate of the chain must be within its dates; null: now.</param>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 root, out bool throughIntermediate,
        X509Certificate2? intermediate = null, DateTimeOffset? at = null)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        if (intermediate is not null)
        {
            chain.ChainPolicy.ExtraStore.Add(intermediate);
        }

        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (at is { } time)
        {
            chain.ChainPolicy.VerificationTime = time.UtcDateTime;
        }

        var chains = chain.Build(certificate);
        throughIntermediate = chains && intermediate is not null
            && chain.ChainElements.Skip(1).Any(element => element.Certificate.RawDataMemory.Span.SequenceEqual(intermediate.RawDataMemory.Span));
        return chains;
    }
}
