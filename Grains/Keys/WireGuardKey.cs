using NSec.Cryptography;

namespace OrleansWg.Grains.Keys;

/// <summary>WireGuard keys are X25519 keys, written as 32 bytes in base64.</summary>
public static class WireGuardKey
{
    public static (string PrivateKey, string PublicKey) CreatePair()
    {
        using var key = Key.Create(
            KeyAgreementAlgorithm.X25519,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return (
            Convert.ToBase64String(key.Export(KeyBlobFormat.RawPrivateKey)),
            Convert.ToBase64String(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
    }
}
