namespace OrleansWg;

/// <summary>A server as the directory sees it: enough to choose, no more.</summary>
/// <param name="Draining">
/// It takes no new session: an admin drains it, its node's certificates are revoked, or it has no
/// node (its node is stopping, or has never registered).
/// </param>
[GenerateSerializer, Immutable, Alias("owg.ServerSummary")]
public sealed record ServerSummary(
    string Id,
    string Group,
    int Capacity,
    int Sessions,
    bool Draining,
    DateTimeOffset LastSeen);
