namespace OrleansWg;

/// <param name="Traffic">What the node last reported of the peer; null before its first report.</param>
[GenerateSerializer, Immutable, Alias("owg.PeerView")]
public sealed record PeerView(Guid SessionId, string User, string Address, ActualPeer? Traffic)
{
    public DateTimeOffset? LastActivity => Traffic?.LastActivity;
}

/// <param name="CertificateExpiresAt">When the newest certificate enrollment or renewal issued its node ends; null: none was issued.</param>
/// <param name="RevokedAt">When an admin revoked its node's certificates; null: not since its last enrollment.</param>
[GenerateSerializer, Immutable, Alias("owg.ServerView")]
public sealed record ServerView(
    string Id,
    NodeRegistration Registration,
    bool Draining,
    bool Connected,
    DateTimeOffset? LastSeen,
    ImmutableArray<PeerView> Peers,
    DateTimeOffset? CertificateExpiresAt = null,
    DateTimeOffset? RevokedAt = null);
