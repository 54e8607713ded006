namespace OrleansWg;

/// <summary>A WireGuard public key as wg writes it: 32 bytes in base64.</summary>
public static class WireGuardPublicKey
{
    private const int KeyLength = 32;

    public static bool IsValid(string? text)
    {
        if (text is not { Length: 44 })
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[KeyLength];
        return Convert.TryFromBase64String(text, bytes, out var written) && written == KeyLength;
    }
}
