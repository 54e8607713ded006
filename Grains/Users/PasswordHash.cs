using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace OrleansWg.Grains.Users;

/// <summary>
/// Argon2id password hashes in the PHC string format,
/// <c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>, so that a hash names its own parameters.
/// </summary>
public static class PasswordHash
{
    /// <summary>OWASP's minimum for Argon2id: 19 MiB, two passes, one lane.</summary>
    public static readonly Argon2Parameters Default = new() { MemorySize = 19 * 1024, NumberOfPasses = 2, DegreeOfParallelism = 1 };

    private const int SaltLength = 16;
    private const int HashLength = 32;

    public static string Create(string password) => Create(password, Default);

    public static string Create(string password, Argon2Parameters parameters)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var hash = Derive(password, salt, parameters, HashLength);
        return $"$argon2id$v=19$m={parameters.MemorySize},t={parameters.NumberOfPasses},p={parameters.DegreeOfParallelism}"
            + $"${Encode(salt)}${Encode(hash)}";
    }

    /// <summary>Checks <paramref name="password"/> against <paramref name="encoded"/> in constant time.</summary>
    public static bool Verify(string password, string encoded)
    {
        if (!TryParse(encoded, out var parameters, out var salt, out var expected))
        {
            return false;
        }

        var actual = Derive(password, salt, parameters, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static byte[] Derive(string password, byte[] salt, Argon2Parameters parameters, int length) =>
        PasswordBasedKeyDerivationAlgorithm.Argon2id(parameters).DeriveBytes(Encoding.UTF8.GetBytes(password), salt, length);

    private static bool TryParse(string encoded, out Argon2Parameters parameters, out byte[] salt, out byte[] hash)
    {
        parameters = default;
        salt = hash = [];
        var parts = encoded.Split('$');
        if (parts is not ["", "argon2id", "v=19", var costs, var saltText, var hashText])
        {
            return false;
        }

        var values = costs.Split(',').Select(pair => pair.Split('=')).ToDictionary(kv => kv[0], kv => int.Parse(kv[1]));
        parameters = new Argon2Parameters { MemorySize = values["m"], NumberOfPasses = values["t"], DegreeOfParallelism = values["p"] };
        salt = Decode(saltText);
        hash = Decode(hashText);
        return salt.Length == SaltLength && hash.Length > 0;
    }

    // PHC strings use base64 without padding.
    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] Decode(string text) => Convert.FromBase64String(text.PadRight((text.Length + 3) / 4 * 4, '='));
}
