namespace OrleansWg;

[GenerateSerializer, Immutable, Alias("owg.PeerView")]
public sealed record PeerView(Guid SessionId, string User, string Address, DateTimeOffset? LastActivity);

[GenerateSerializer, Immutable, Alias("owg.ServerView")]
public sealed record ServerView(
    string Id,
    NodeRegistration Registration,
    bool Draining,
    bool Connected,
    DateTimeOffset? LastSeen,
    ImmutableArray<PeerView> Peers);
