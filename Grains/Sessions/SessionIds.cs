using System.Security.Cryptography;
using System.Text;

namespace OrleansWg.Grains.Sessions;

/// <summary>The session a connect comes to: the same user and idempotency key always name the same session.</summary>
public static class SessionIds
{
    public static Guid ForConnect(string user, string idempotencyKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"owg-session\n{user}\n{idempotencyKey}"));
        return new Guid(hash.AsSpan(0, 16));
    }
}
