namespace OrleansWg;

/// <summary>Everything a client needs to bring its tunnel up. Handed out once, at connect.</summary>
/// <param name="ClientPrivateKey">Only when the server made the key pair; stored nowhere.</param>
/// <param name="Dns">The resolvers the client uses while connected: inside the tunnel, the same on every server.</param>
/// <param name="SearchDomains">The client's search list while connected.</param>
[GenerateSerializer, Immutable, Alias("owg.SessionConfig")]
public sealed record SessionConfig(
    Guid SessionId,
    string SessionToken,
    string ServerId,
    string Endpoint,
    string Address,
    string ServerPublicKey,
    string? ClientPrivateKey,
    string AllowedIps,
    DateTimeOffset ExpiresAt,
    ImmutableArray<string> Dns,
    ImmutableArray<string> SearchDomains)
{
    public override string ToString() => $"SessionConfig {{ SessionId = {SessionId}, ServerId = {ServerId}, Endpoint = {Endpoint}, Address = {Address} }}";
}
