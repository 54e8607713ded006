using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace OrleansWg.Grains.Sessions;

/// <summary>
/// The bearer token a client proves it owns a session with. Only hashes are stored. Every start
/// that succeeds hands out a new token, and the few handed out before it stay valid: the attempts
/// of one connect (the Gateway's and the client's retries) can finish out of order when a silo
/// dies, and the client holds whichever answer reached it, not always the newest.
/// </summary>
public static class SessionToken
{
    private const int EarlierTokensKept = 3;

    public static string HandOut(SessionState session)
    {
        if (session.TokenHash.Length > 0)
        {
            session.EarlierTokenHashes = [session.TokenHash, .. session.EarlierTokenHashes.Take(EarlierTokensKept - 1)];
        }

        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        session.TokenHash = Hash(token);
        return token;
    }

    public static bool IsValid(string token, SessionState session)
    {
        var hash = Encoding.ASCII.GetBytes(Hash(token));
        return session.EarlierTokenHashes.Prepend(session.TokenHash)
            .Any(valid => CryptographicOperations.FixedTimeEquals(hash, Encoding.ASCII.GetBytes(valid)));
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
