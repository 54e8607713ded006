using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Sessions;

/// <summary>
/// The Gateway hands out a session's token with a MAC over the session id beside it, and checks
/// the MAC before it asks the session grain: a guessed id or token is refused without activating
/// a grain or reading the database. The keys are <see cref="GatewayOptions.SessionSealKeys"/>, which
/// every Gateway of an installation shares: the first seals, and any opens, so a key can be
/// rotated without a live session losing its token.
/// </summary>
public sealed class SessionTokenSeal(IOptions<GatewayOptions> options)
{
    private const int MacBytes = 16;

    private readonly byte[][] keys = [.. options.Value.SessionSealKeys.Select(secret => HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: "owg session token seal v1"u8.ToArray()))];

    public string Seal(Guid sessionId, string token) => $"{token}.{Mac(keys[0], sessionId, token)}";

    /// <returns>The session's own token when the MAC is right, else null.</returns>
    public string? Open(Guid sessionId, string sealedToken)
    {
        var dot = sealedToken.LastIndexOf('.');
        if (dot <= 0)
        {
            return null;
        }

        var token = sealedToken[..dot];
        return SecretComparison.Matches([.. keys.Select(key => Mac(key, sessionId, token))], sealedToken[(dot + 1)..]) ? token : null;
    }

    private static string Mac(byte[] key, Guid sessionId, string token)
    {
        byte[] message = [.. sessionId.ToByteArray(), .. Encoding.UTF8.GetBytes(token)];
        return Base64Url.EncodeToString(HMACSHA256.HashData(key, message).AsSpan(0, MacBytes));
    }
}
