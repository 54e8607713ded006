namespace OrleansWg;

/// <param name="Traffic">What the node last reported of the peer; null before its first report.</param>
[GenerateSerializer, Immutable, Alias("owg.PeerView")]
public sealed record PeerView(Guid SessionId, string User, string Address, ActualPeer? Traffic)
{
    public DateTimeOffset? LastActivity => Traffic?.LastActivity;
}

[GenerateSerializer, Immutable, Alias("owg.ServerView")]
public sealed record ServerView(
    string Id,
    NodeRegistration Registration,
    bool Draining,
    bool Connected,
    DateTimeOffset? LastSeen,
    ImmutableArray<PeerView> Peers);
