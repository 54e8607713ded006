using System.Security.Cryptography;
using System.Text;

namespace OrleansWg.Grains.Servers;

/// <summary>
/// Which node may act as a server: its pending join token (kept as a SHA-256, shown only once), and
/// the certificates enrollment and renewal issued that have not expired or been revoked. Once a
/// server's node has enrolled, or been revoked, a credential without a certificate's serial (signed
/// on the operator's machine) no longer admits a node.
/// </summary>
[GenerateSerializer, Alias("owg.NodeCertificates")]
public sealed record NodeCertificates
{
    private const string JoinTokenPrefix = "owgjoin_";

    [Id(0)] public byte[]? JoinTokenHash { get; set; }

    [Id(1)] public DateTimeOffset? JoinTokenExpiresAt { get; set; }

    /// <summary>Serial number (hexadecimal) to expiry, of the certificates that admit the node.</summary>
    [Id(2)] public Dictionary<string, DateTimeOffset> Live { get; set; } = [];

    /// <summary>Whether only an issued certificate's credential admits the node.</summary>
    [Id(3)] public bool IssuedOnly { get; set; }

    [Id(4)] public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>A new join token, in place of any pending one.</summary>
    public JoinToken IssueJoinToken(DateTimeOffset now, TimeSpan lifetime)
    {
        var text = JoinTokenPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        JoinTokenHash = Hash(text);
        JoinTokenExpiresAt = now + lifetime;
        return new JoinToken(text, now + lifetime);
    }

    /// <returns>Whether <paramref name="token"/> is the pending join token and has not expired.</returns>
    public bool IsJoinToken(string token, DateTimeOffset now) =>
        JoinTokenHash is not null && JoinTokenExpiresAt > now && CryptographicOperations.FixedTimeEquals(JoinTokenHash, Hash(token));

    public void SpendJoinToken()
    {
        JoinTokenHash = null;
        JoinTokenExpiresAt = null;
    }

    /// <summary>
    /// Admits the holder of a certificate just issued, and of <paramref name="renewed"/> (the serial
    /// it was renewed from, still in use on the node's open links) until that expires; no other.
    /// An enrollment renews nothing: a host enrolled again leaves its earlier identity worthless.
    /// A revocation before it no longer applies.
    /// </summary>
    public void Add(NodeIdentity identity, string? renewed, DateTimeOffset now)
    {
        Live = Live.Where(live => live.Key == renewed && live.Value > now).ToDictionary();
        Live[identity.Serial] = identity.ExpiresAt;
        IssuedOnly = true;
        RevokedAt = null;
    }

    /// <summary>When the newest certificate that still admits the node ends; null: none does.</summary>
    public DateTimeOffset? LiveUntil(DateTimeOffset now) => Live.Values.Where(expires => expires > now).Select(expires => (DateTimeOffset?)expires).Max();

    /// <summary>No certificate issued so far admits the node, and no pending token enrolls one.</summary>
    public void Revoke(DateTimeOffset now)
    {
        Live.Clear();
        SpendJoinToken();
        IssuedOnly = true;
        RevokedAt = now;
    }

    /// <summary>Whether a caller whose credential names <paramref name="caller"/> may act as the server's node.</summary>
    public bool Admits(CallerRole caller, DateTimeOffset now) => caller.Serial is { } serial
        ? Live.TryGetValue(serial, out var expires) && expires > now
        : !IssuedOnly;

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
