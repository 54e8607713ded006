namespace OrleansWg.Gateway.Connect;

/// <param name="AllowedIps">What the client sends into the tunnel: everything, IPv4 and IPv6, by default, else its group's routes and the resolver.</param>
/// <param name="Dns">The resolvers to use while connected, inside the tunnel.</param>
/// <param name="SearchDomains">The search list to use while connected.</param>
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
    string[] Dns,
    string[] SearchDomains,
    string Config)
{
    public override string ToString() => $"ConnectResponse {{ SessionId = {SessionId}, Server = {Server}, Endpoint = {Endpoint}, Address = {Address} }}";
}
