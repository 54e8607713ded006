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

    /// <summary>By value, the lists by their items: an ImmutableArray alone compares by the array it wraps.</summary>
    public bool Equals(SessionConfig? other) =>
        other is not null
        && (SessionId, SessionToken, ServerId, Endpoint, Address, ServerPublicKey, ClientPrivateKey, AllowedIps, ExpiresAt)
            == (other.SessionId, other.SessionToken, other.ServerId, other.Endpoint, other.Address, other.ServerPublicKey, other.ClientPrivateKey, other.AllowedIps, other.ExpiresAt)
        && Dns.SequenceEqual(other.Dns) && SearchDomains.SequenceEqual(other.SearchDomains);

    public override int GetHashCode() => HashCode.Combine(SessionId, SessionToken, ServerId, Endpoint, Address);
}
