namespace OrleansWg;

/// <param name="HomeServers">Servers where the user has live sessions, and so a running container.</param>
[GenerateSerializer, Immutable, Alias("owg.PlacementRequest")]
public sealed record PlacementRequest(
    ServerPermissions Permissions,
    string? RequestedServer,
    ImmutableArray<string> HomeServers);

[GenerateSerializer, Alias("owg.PlacementFailure")]
public enum PlacementFailure { NotPermitted, NoneAvailable }

/// <summary>Candidate servers, best first, or why there are none.</summary>
[GenerateSerializer, Immutable, Alias("owg.Placement")]
public sealed record Placement(ImmutableArray<string> Candidates, PlacementFailure? Failure);
