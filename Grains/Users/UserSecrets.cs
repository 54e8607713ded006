using System.Security.Cryptography;
using System.Text;

namespace OrleansWg.Grains.Users;

/// <summary>
/// Seals users' secrets (TOTP secrets, identity providers' refresh tokens) with AES-256-GCM under a key of <see cref="UserOptions.SecretKeys"/>,
/// which the silos read from their secret files and which is not in the database: a copy of the
/// database (a backup) does not give the secrets away. The first key seals and any opens, so a key
/// can be rotated: put the new one first, and keep the old one while users' secrets are sealed with
/// it. The user's name is bound into each seal, so a sealed secret moved to another user does not
/// open. (ASP.NET's Data Protection is not used: its key ring lives in the same database.)
/// </summary>
public sealed class UserSecrets(IOptions<UserOptions> options)
{
    private const int KeyIdBytes = 4;

    private readonly (byte[] Id, byte[] Key)[] keys = [.. options.Value.SecretKeys.Select(secret =>
    {
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: "owg user secret v1"u8.ToArray());
        return (SHA256.HashData(key)[..KeyIdBytes], key);
    })];

    /// <summary>Whether a key is set: without one, no user can enroll in MFA, nor log in by single sign-on with a provider that gives refresh tokens.</summary>
    public bool CanSeal => keys.Length > 0;

    public string Seal(string user, string secret)
    {
        var (id, key) = keys[0];
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[KeyIdBytes + AesGcm.NonceByteSizes.MaxSize + plain.Length + AesGcm.TagByteSizes.MaxSize];
        var nonce = sealedBytes.AsSpan(KeyIdBytes, AesGcm.NonceByteSizes.MaxSize);
        id.CopyTo(sealedBytes, 0);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, AesGcm.TagByteSizes.MaxSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(KeyIdBytes + nonce.Length, plain.Length), sealedBytes.AsSpan(^AesGcm.TagByteSizes.MaxSize),
            Encoding.UTF8.GetBytes(user));
        return Convert.ToBase64String(sealedBytes);
    }

    /// <exception cref="CryptographicException">No key of the settings sealed it for this user.</exception>
    public string Open(string user, string sealedSecret)
    {
        var sealedBytes = Convert.FromBase64String(sealedSecret);
        var id = sealedBytes[..KeyIdBytes];
        var key = keys.FirstOrDefault(k => id.AsSpan().SequenceEqual(k.Id)).Key
            ?? throw new CryptographicException("the secret was sealed with a key that Users:SecretKeys no longer holds");
        var nonce = sealedBytes.AsSpan(KeyIdBytes, AesGcm.NonceByteSizes.MaxSize);
        var cipher = sealedBytes.AsSpan(KeyIdBytes + nonce.Length, sealedBytes.Length - KeyIdBytes - nonce.Length - AesGcm.TagByteSizes.MaxSize);
        var plain = new byte[cipher.Length];
        using var aes = new AesGcm(key, AesGcm.TagByteSizes.MaxSize);
        aes.Decrypt(nonce, cipher, sealedBytes.AsSpan(^AesGcm.TagByteSizes.MaxSize), plain, Encoding.UTF8.GetBytes(user));
        return Encoding.UTF8.GetString(plain);
    }
}
