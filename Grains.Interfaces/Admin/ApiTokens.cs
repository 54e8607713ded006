using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace OrleansWg;

/// <summary>
/// An API token's text: <c>owg_ID_SECRET</c>. The id names the token in lists and the audit log;
/// the secret, 32 random bytes, is kept only as its SHA-256 (a random secret needs no slow hash).
/// </summary>
public static class ApiTokens
{
    private const string Prefix = "owg_";
    private const int IdLength = 12;
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdef");

    public static (string Id, string Text, byte[] SecretHash) Make()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (id, $"{Prefix}{id}_{secret}", Hash(secret));
    }

    /// <returns>The token's id and the SHA-256 of its secret, or null when <paramref name="text"/> is not shaped like a token.</returns>
    public static (string Id, byte[] SecretHash)? Parse(string? text) =>
        text is { Length: > 0 } && text.StartsWith(Prefix, StringComparison.Ordinal) && text.Length > Prefix.Length + IdLength + 1
        && text[Prefix.Length + IdLength] == '_' && IsId(text.Substring(Prefix.Length, IdLength))
            ? (text.Substring(Prefix.Length, IdLength), Hash(text[(Prefix.Length + IdLength + 1)..]))
            : null;

    public static bool IsId(string? id) => id is { Length: IdLength } && !id.AsSpan().ContainsAnyExcept(HexDigits);

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
