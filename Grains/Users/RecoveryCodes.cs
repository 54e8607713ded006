using System.Security.Cryptography;
using System.Text;

namespace OrleansWg.Grains.Users;

/// <summary>
/// A user's recovery codes: each logs in once in place of a one-time code (a lost phone). Shown
/// once when made; only their SHA-256 is kept, which is enough for codes of 59 random bits that
/// the lockout stops anyone guessing.
/// </summary>
public static class RecoveryCodes
{
    public const int Count = 10;

    // No 0/o, 1/l/i: a code is read off paper.
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    /// <returns>New codes as the user writes them down (xxxx-xxxx-xxxx), and what is kept of each.</returns>
    public static (ImmutableArray<string> Codes, List<string> Hashes) Make()
    {
        var codes = Enumerable.Range(0, Count).Select(_ => string.Join('-', RandomNumberGenerator.GetString(Alphabet, 12).Chunk(4).Select(c => new string(c)))).ToImmutableArray();
        return (codes, [.. codes.Select(Hash)]);
    }

    /// <summary>What is kept of a code: its SHA-256, of its letters and digits in lower case (dashes and case as the user types them do not count).</summary>
    public static string Hash(string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(new string([.. code.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]))));
}
