using NSec.Cryptography;

namespace OrleansWg;

/// <summary>WireGuard keys: X25519 keys of 32 bytes, base64 where wg shows them and hex on the UAPI socket.</summary>
public static class WireGuardKey
{
    private const int KeyLength = 32;

    public static bool IsValid(string? base64)
    {
        if (base64 is not { Length: 44 })
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[KeyLength];
        return Convert.TryFromBase64String(base64, bytes, out var written) && written == KeyLength;
    }

    /// <summary>A new key pair, its private key clamped as <c>wg genkey</c> makes them.</summary>
    public static (string PrivateKey, string PublicKey) CreatePair()
    {
        using var key = Key.Create(
            KeyAgreementAlgorithm.X25519,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return (Clamped(Convert.ToBase64String(key.Export(KeyBlobFormat.RawPrivateKey))), PublicKeyOf(key));
    }

    /// <summary>
    /// The private key with the three bits X25519 ignores set as it sets them: how the kernel's
    /// WireGuard stores and shows a key it was given. Both forms have the same public key.
    /// </summary>
    public static string Clamped(string privateKey)
    {
        var bytes = Convert.FromBase64String(privateKey);
        bytes[0] &= 248;
        bytes[31] = (byte)((bytes[31] & 127) | 64);
        return Convert.ToBase64String(bytes);
    }

    public static string PublicKeyOf(string privateKey)
    {
        using var key = Key.Import(KeyAgreementAlgorithm.X25519, Convert.FromBase64String(privateKey), KeyBlobFormat.RawPrivateKey);
        return PublicKeyOf(key);
    }

    public static string ToHex(string base64) => Convert.ToHexStringLower(Convert.FromBase64String(base64));

    public static string FromHex(string hex) => Convert.ToBase64String(Convert.FromHexString(hex));

    private static string PublicKeyOf(Key key) => Convert.ToBase64String(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
}
