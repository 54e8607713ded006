namespace OrleansWg.Gateway.Http;

/// <summary>The otpauth:// URI (Google Authenticator's key URI format) that authenticator apps read from a QR code.</summary>
public static class OtpAuthUri
{
    private const string Issuer = "OrleansWg";

    public static string For(string account, string secret) =>
        $"otpauth://totp/{Issuer}:{Uri.EscapeDataString(account)}?secret={secret}&issuer={Issuer}";
}
