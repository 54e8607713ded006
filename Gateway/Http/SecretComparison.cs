using System.Security.Cryptography;
using System.Text;

namespace OrleansWg.Gateway.Http;

public static class SecretComparison
{
    /// <returns>true when <paramref name="given"/> is one of <paramref name="secrets"/> (an unset one matches nothing), compared in constant time with each.</returns>
    public static bool Matches(string?[] secrets, string given)
    {
        var bytes = Encoding.UTF8.GetBytes(given);
        return secrets.OfType<string>().Where(secret => secret.Length > 0)
            .Aggregate(false, (found, secret) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), bytes) | found);
    }
}
