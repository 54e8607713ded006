namespace OrleansWg;

[GenerateSerializer, Immutable, Alias("owg.PeerRequest")]
public sealed record PeerRequest(Guid SessionId, string User, string ClientPublicKey);

/// <param name="Endpoint">host:port of the user's WireGuard interface.</param>
/// <param name="Address">The client's tunnel address, as a /32.</param>
[GenerateSerializer, Immutable, Alias("owg.PeerGrant")]
public sealed record PeerGrant(string Endpoint, string Address, string ServerPublicKey);

[GenerateSerializer, Immutable, Alias("owg.PeerResult")]
public sealed record PeerResult(PeerGrant? Grant, string? Failure)
{
    public static PeerResult Granted(PeerGrant grant) => new(grant, null);

    public static PeerResult Refused(string failure) => new(null, failure);
}
