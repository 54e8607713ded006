namespace OrleansWg;

[GenerateSerializer, Immutable, Alias("owg.UserProfile")]
public sealed record UserProfile(
    string Name,
    ServerPermissions Permissions,
    ImmutableArray<SessionPlacement> Sessions,
    ImmutableArray<SourceLock> Lockouts,
    bool LockedByAdmin,
    BandwidthLimit? Limit = null);

/// <summary>A source (client address) locked out of this user after too many wrong passwords.</summary>
[GenerateSerializer, Immutable, Alias("owg.SourceLock")]
public sealed record SourceLock(string Source, DateTimeOffset Until);

[GenerateSerializer, Immutable, Alias("owg.SessionPlacement")]
public sealed record SessionPlacement(Guid SessionId, string ServerId);
