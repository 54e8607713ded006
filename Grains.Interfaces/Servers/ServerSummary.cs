namespace OrleansWg;

/// <summary>A server as the directory sees it: enough to choose, no more.</summary>
[GenerateSerializer, Immutable, Alias("owg.ServerSummary")]
public sealed record ServerSummary(
    string Id,
    string Group,
    int Capacity,
    int Sessions,
    bool Draining,
    DateTimeOffset LastSeen);
