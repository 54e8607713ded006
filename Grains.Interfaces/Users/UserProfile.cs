namespace OrleansWg;

[GenerateSerializer, Immutable, Alias("owg.UserProfile")]
public sealed record UserProfile(
    string Name,
    ServerPermissions Permissions,
    ImmutableArray<Guid> Sessions,
    DateTimeOffset? LockedUntil);
