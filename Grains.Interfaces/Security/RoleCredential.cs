using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace OrleansWg;

/// <summary>
/// What a caller may do in the cluster: a silo or the Gateway anything, a node only act as its own
/// server. An enrolled node's role names its certificate (<paramref name="Serial"/>) and ends with it
/// (<paramref name="ExpiresAt"/>); a role the operator's machine signed has neither.
/// </summary>
public sealed record CallerRole(string Role, string? ServerId, string? Serial = null, DateTimeOffset? ExpiresAt = null)
{
    public const string Silo = "silo";
    public const string Gateway = "gateway";
    public const string Node = "node";

    public bool IsExpired(DateTimeOffset now) => ExpiresAt <= now;
}

/// <summary>
/// A role the cluster's CA signed: <c>base64url(payload).base64url(signature)</c>, where the payload
/// is <c>owg1;role=node;server=node-1</c> (an enrolled node's adds <c>serial=</c> its certificate's
/// serial number and <c>exp=</c> its end in Unix seconds) and the signature is ECDSA (SHA-256, DER)
/// over it: by the CA's key for any role (scripts/lib/pki.sh), or by the node CA's key, which the
/// silos hold to enroll nodes, for role node only. It travels in <see cref="Orleans.Runtime.RequestContext"/>,
/// because Orleans does not hand a connection's TLS identity to grain calls.
/// </summary>
public static class RoleCredential
{
    public const string RequestContextKey = "owg.credential";

    /// <summary>The credential of <paramref name="role"/>, signed with <paramref name="key"/>.</summary>
    public static string Sign(CallerRole role, ECDsa key)
    {
        var payload = Encoding.UTF8.GetBytes(string.Join(';', new[]
        {
            "owg1", $"role={role.Role}", role.ServerId is { } server ? $"server={server}" : null, role.Serial is { } serial ? $"serial={serial}" : null,
            role.ExpiresAt is { } expires ? $"exp={expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}" : null,
        }.OfType<string>()));
        var signature = key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return $"{Encode(payload)}.{Encode(signature)}";
    }

    /// <param name="nodeAuthority">The node CA, whose signature grants role node only; null where none is trusted.</param>
    /// <returns>The role the credential grants, or null when it is malformed or signed by neither authority. Its expiry is the caller's to check.</returns>
    public static CallerRole? Verify(string credential, X509Certificate2 authority, X509Certificate2? nodeAuthority = null)
    {
        var parts = credential.Split('.');
        if (parts.Length != 2 || Decode(parts[0]) is not { } payload || Decode(parts[1]) is not { } signature || Parse(payload) is not { } role)
        {
            return null;
        }

        return IsSignedBy(authority, payload, signature) || (role.Role == CallerRole.Node && nodeAuthority is not null && IsSignedBy(nodeAuthority, payload, signature))
            ? role
            : null;
    }

    /// <summary>
    /// The role a credential names, unverified: for a grain whose call the silo's filter let in,
    /// which verified the same credential before the call ran.
    /// </summary>
    public static CallerRole? Read(string credential) =>
        credential.Split('.') is [var encoded, _] && Decode(encoded) is { } payload ? Parse(payload) : null;

    private static bool IsSignedBy(X509Certificate2 authority, byte[] payload, byte[] signature)
    {
        using var key = authority.GetECDsaPublicKey();
        return key is not null && key.VerifyData(payload, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    private static CallerRole? Parse(byte[] payload)
    {
        var fields = Encoding.UTF8.GetString(payload).Split(';');
        if (fields is not ["owg1", ..])
        {
            return null;
        }

        var values = fields.Skip(1).Select(field => field.Split('=', 2)).Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0]).ToDictionary(group => group.Key, group => group.First()[1]);
        if (!values.TryGetValue("role", out var name))
        {
            return null;
        }

        DateTimeOffset? expires = null;
        if (values.TryGetValue("exp", out var exp))
        {
            if (!long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            {
                return null;
            }

            expires = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        return new CallerRole(name, values.GetValueOrDefault("server"), values.GetValueOrDefault("serial"), expires);
    }

    private static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);

    private static byte[]? Decode(string base64Url)
    {
        var bytes = new byte[Base64Url.GetMaxDecodedLength(base64Url.Length)];
        return Base64Url.TryDecodeFromChars(base64Url, bytes, out var written) ? bytes[..written] : null;
    }
}
