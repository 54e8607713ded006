using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Mfa;

/// <summary>A user's login to begin an enrollment in MFA; <paramref name="Otp"/>: a current code, once enrolled (to enroll a new phone).</summary>
public sealed record MfaEnrollBody(string? Username, string? Password, string? Otp) : IValidatable
{
    public Validation Validate() => Credentials(new Validation(), Username, Password)
        .Check(Otp is null || Otp.Length <= Validation.MaxOtpLength, "otp", $"at most {Validation.MaxOtpLength} characters");

    public static Validation Credentials(Validation validation, string? username, string? password) => validation
        .Check(!string.IsNullOrEmpty(username), "username", "required")
        .Check(!string.IsNullOrEmpty(password) && password.Length <= Validation.MaxPasswordLength, "password",
            $"required, at most {Validation.MaxPasswordLength} characters");

    public override string ToString() => $"MfaEnrollBody {{ Username = {Username} }}";
}

/// <summary>The first code of the secret an enrollment gave, which confirms it.</summary>
public sealed record MfaConfirmBody(string? Username, string? Password, string? Code) : IValidatable
{
    public Validation Validate() => MfaEnrollBody.Credentials(new Validation(), Username, Password)
        .Check(Code is { Length: > 0 } && Code.Length <= Validation.MaxOtpLength, "code", "required: the code the app shows");

    public override string ToString() => $"MfaConfirmBody {{ Username = {Username} }}";
}

/// <param name="Secret">The TOTP secret in base32, for an app that cannot read the QR code.</param>
/// <param name="OtpauthUri">The otpauth:// URI that the QR code holds.</param>
/// <param name="Qr">The QR code as text for a terminal: lines of block characters (▀ ▄ █) and spaces.</param>
public sealed record MfaEnrollResponse(string Secret, string OtpauthUri, string Qr)
{
    public override string ToString() => "MfaEnrollResponse";
}

/// <param name="RecoveryCodes">Each logs in once instead of a code; they are shown only now.</param>
public sealed record MfaConfirmResponse(string[] RecoveryCodes)
{
    public override string ToString() => "MfaConfirmResponse";
}
