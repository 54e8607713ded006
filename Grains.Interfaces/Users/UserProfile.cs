namespace OrleansWg;

[GenerateSerializer, Immutable, Alias("owg.UserProfile")]
public sealed record UserProfile(
    string Name,
    ServerPermissions Permissions,
    ImmutableArray<SessionPlacement> Sessions,
    DateTimeOffset? LockedUntil);

[GenerateSerializer, Immutable, Alias("owg.SessionPlacement")]
public sealed record SessionPlacement(Guid SessionId, string ServerId);
