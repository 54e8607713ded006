using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Connect;

/// <param name="Otp">The one-time code of a user enrolled in MFA, or one of their recovery codes.</param>
/// <param name="SsoGrant">In place of the password: the grant of the user's single sign-on (/v1/sso/token).</param>
public sealed record ConnectBody(string? Username, string? Password, string? PublicKey, string? Server, string? Otp = null, string? SsoGrant = null) : IValidatable
{
    public Validation Validate() => new Validation()
        .Check(!string.IsNullOrEmpty(Username), "username", "required")
        .Check(SsoGrant is null ? !string.IsNullOrEmpty(Password) && Password.Length <= Validation.MaxPasswordLength : Password is null, "password",
            $"required unless ssoGrant is given (and then not given), at most {Validation.MaxPasswordLength} characters")
        .Check(SsoGrant is null or { Length: > 0 and <= 128 }, "ssoGrant", "at most 128 characters")
        .Check(PublicKey is null || WireGuardKey.IsValid(PublicKey), "publicKey", "a WireGuard public key: 32 bytes in base64")
        .Check(Server is null || Names.IsValid(Server), "server", "a server id")
        .Check(Otp is null || Otp.Length <= Validation.MaxOtpLength, "otp", $"at most {Validation.MaxOtpLength} characters");

    public override string ToString() => $"ConnectBody {{ Username = {Username}, PublicKey = {PublicKey}, Server = {Server} }}";
}
