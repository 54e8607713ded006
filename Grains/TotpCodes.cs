using OtpNet;

namespace OrleansWg.Grains;

/// <summary>
/// Time-based one-time codes (RFC 6238: six digits, 30-second steps, SHA-1, as every authenticator
/// app reads them), by Otp.NET. A code is taken in its step or the one before or after (clocks
/// drift), and never twice: the caller keeps the last step used.
/// </summary>
public static class TotpCodes
{
    /// <summary>A new secret of 160 bits, in base32 as authenticator apps take it.</summary>
    public static string NewSecret() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));

    /// <returns>The time step <paramref name="code"/> belongs to, when it is the secret's code near <paramref name="now"/> and after <paramref name="lastStep"/>; else null.</returns>
    public static long? Verify(string secret, string? code, DateTimeOffset now, long lastStep)
    {
        if (code is not { Length: 6 } || !code.All(char.IsAsciiDigit))
        {
            return null;
        }

        var totp = new Totp(Base32Encoding.ToBytes(secret));
        return totp.VerifyTotp(now.UtcDateTime, code, out var step, VerificationWindow.RfcSpecifiedNetworkDelay) && step > lastStep ? step : null;
    }
}
