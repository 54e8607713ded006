using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace OrleansWg.Hosting;

/// <summary>What a caller may do in the cluster: a silo or the Gateway anything, a node only act as its own server.</summary>
public sealed record CallerRole(string Role, string? ServerId)
{
    public const string Silo = "silo";
    public const string Gateway = "gateway";
    public const string Node = "node";
}

/// <summary>
/// A role the cluster's CA signed: <c>base64url(payload).base64url(signature)</c>, where the payload
/// is <c>owg1;role=node;server=node-1</c> and the signature is the CA key's ECDSA (SHA-256, DER) over
/// it (scripts/lib/pki.sh makes them). It travels in <see cref="Orleans.Runtime.RequestContext"/>,
/// because Orleans does not hand a connection's TLS identity to grain calls.
/// </summary>
public static class RoleCredential
{
    public const string RequestContextKey = "owg.credential";

    /// <returns>The role the credential grants, or null when it is malformed or not signed by <paramref name="authority"/>.</returns>
    public static CallerRole? Verify(string credential, X509Certificate2 authority)
    {
        var parts = credential.Split('.');
        if (parts.Length != 2 || Decode(parts[0]) is not { } payload || Decode(parts[1]) is not { } signature)
        {
            return null;
        }

        using var key = authority.GetECDsaPublicKey();
        if (key is null || !key.VerifyData(payload, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
        {
            return null;
        }

        var fields = Encoding.UTF8.GetString(payload).Split(';');
        if (fields is not ["owg1", var role, ..])
        {
            return null;
        }

        var values = fields.Skip(1).Select(field => field.Split('=', 2)).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1]);
        return values.TryGetValue("role", out var name) ? new CallerRole(name, values.GetValueOrDefault("server")) : null;
    }

    private static byte[]? Decode(string base64Url)
    {
        var base64 = base64Url.Replace('-', '+').Replace('_', '/');
        var padded = base64.PadRight((base64.Length + 3) / 4 * 4, '=');
        var bytes = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, bytes, out var written) ? bytes[..written] : null;
    }
}
