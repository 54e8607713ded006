using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Connect;

public sealed record ConnectBody(string? Username, string? Password, string? PublicKey, string? Server) : IValidatable
{
    public Validation Validate() => new Validation()
        .Check(!string.IsNullOrEmpty(Username), "username", "required")
        .Check(!string.IsNullOrEmpty(Password) && Password.Length <= Validation.MaxPasswordLength, "password",
            $"required, at most {Validation.MaxPasswordLength} characters")
        .Check(PublicKey is null || WireGuardKey.IsValid(PublicKey), "publicKey", "a WireGuard public key: 32 bytes in base64")
        .Check(Server is null || Names.IsValid(Server), "server", "a server id");

    public override string ToString() => $"ConnectBody {{ Username = {Username}, PublicKey = {PublicKey}, Server = {Server} }}";
}
