namespace OrleansWg.Gateway.Connect;

/// <param name="AllowedIps">What the client sends into the tunnel: everything, IPv4 and IPv6, by default.</param>
/// <param name="Config">A complete wg-quick file; holds the private key when the server made it.</param>
public sealed record ConnectResponse(
    Guid SessionId,
    string SessionToken,
    string Server,
    string Endpoint,
    string Address,
    string ServerPublicKey,
    string AllowedIps,
    DateTimeOffset ExpiresAt,
    string Config)
{
    public override string ToString() => $"ConnectResponse {{ SessionId = {SessionId}, Server = {Server}, Endpoint = {Endpoint}, Address = {Address} }}";
}
