namespace OrleansWg;

/// <param name="HomeServers">Servers where the user has live sessions, and so a running container.</param>
/// <param name="Excluded">A server not to rank at all: the one a moving session leaves.</param>
[GenerateSerializer, Immutable, Alias("owg.PlacementRequest")]
public sealed record PlacementRequest(
    ServerPermissions Permissions,
    string? RequestedServer,
    ImmutableArray<string> HomeServers,
    string? Excluded = null);

[GenerateSerializer, Alias("owg.PlacementFailure")]
public enum PlacementFailure { NotPermitted, NoneAvailable }

/// <summary>Candidate servers, best first, or why there are none.</summary>
[GenerateSerializer, Immutable, Alias("owg.Placement")]
public sealed record Placement(ImmutableArray<string> Candidates, PlacementFailure? Failure);
