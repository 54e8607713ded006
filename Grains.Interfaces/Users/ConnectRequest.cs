namespace OrleansWg;

/// <param name="ClientPublicKey">The client's WireGuard public key (base64); null asks the server to make a key pair.</param>
/// <param name="ServerId">Narrows the choice to this server; null lets the directory choose.</param>
[GenerateSerializer, Immutable, Alias("owg.ConnectRequest")]
public sealed record ConnectRequest(string Password, string? ClientPublicKey, string? ServerId);
