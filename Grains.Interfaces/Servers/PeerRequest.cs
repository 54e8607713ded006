namespace OrleansWg;

/// <param name="Address">The session's tunnel address (a /32): the user's, the same on every server.</param>
/// <param name="Limit">The user's own bandwidth limit; the server's group gives what it leaves open.</param>
/// <param name="ExpiresAt">The end of the session's lifetime, when the server tells it to check.</param>
[GenerateSerializer, Immutable, Alias("owg.PeerRequest")]
public sealed record PeerRequest(
    Guid SessionId, string User, string ClientPublicKey, string Address, BandwidthLimit? Limit = null, DateTimeOffset? ExpiresAt = null);

/// <param name="Endpoint">host:port of the user's WireGuard interface.</param>
/// <param name="Address">The client's tunnel address, as a /32.</param>
/// <param name="Limit">The bandwidth limit the node enforces on the peer: the user's, else the server group's.</param>
/// <param name="DnsServer">The resolver's address inside the tunnel: the same on every server of the cluster.</param>
/// <param name="Dns">The search domains and routes of the server group's DNS policy.</param>
[GenerateSerializer, Immutable, Alias("owg.PeerGrant")]
public sealed record PeerGrant(string Endpoint, string Address, string ServerPublicKey, BandwidthLimit? Limit = null, string? DnsServer = null, SessionDns? Dns = null);

/// <summary>Why a server did not take a peer: a stable code for programs, and a detail for admins and logs.</summary>
[GenerateSerializer, Alias("owg.PeerRefusal")]
public enum PeerRefusal
{
    NodeNotConnected,
    NodeSilent,
    Draining,
    Full,

    /// <summary>The session's address is outside the server's tunnel pool, or another peer's there.</summary>
    AddressUnusable,
    NodeFailed,

    /// <summary>The server grain itself could not be asked (a silo died, a timeout).</summary>
    Unreachable,
}

[GenerateSerializer, Immutable, Alias("owg.PeerResult")]
public sealed record PeerResult(PeerGrant? Grant, PeerRefusal? Refusal, string? Detail, bool Pending = false)
{
    /// <summary>The peer is recorded and on its way to the node: <see cref="IServerGrain.AwaitPeer"/> gives its grant.</summary>
    public static PeerResult Recorded { get; } = new(null, null, null, Pending: true);

    public static PeerResult Granted(PeerGrant grant) => new(grant, null, null);

    public static PeerResult Refused(PeerRefusal refusal, string detail) => new(null, refusal, detail);
}
