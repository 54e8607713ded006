namespace OrleansWg;

/// <param name="NewSourcesLockedUntil">Until when every address the user has not logged in from is locked out, after too many wrong passwords from such addresses; null: none is.</param>
/// <param name="MfaEnrolled">Whether the user connects with a one-time code (TOTP) beside the password.</param>
/// <param name="RecoveryCodesLeft">How many of the user's recovery codes are still unused.</param>
/// <param name="Sso">For a user the identity provider made: whether the provider still lets them in at the last re-check; null for a password user.</param>
[GenerateSerializer, Immutable, Alias("owg.UserProfile")]
public sealed record UserProfile(
    string Name,
    ServerPermissions Permissions,
    ImmutableArray<SessionPlacement> Sessions,
    ImmutableArray<SourceLock> Lockouts,
    bool LockedByAdmin,
    BandwidthLimit? Limit = null,
    DateTimeOffset? NewSourcesLockedUntil = null,
    bool MfaEnrolled = false,
    int RecoveryCodesLeft = 0,
    SsoUserState? Sso = null);

[GenerateSerializer, Alias("owg.SsoUserState")]
public enum SsoUserState
{
    Allowed,
    RefusedByProvider,
}

/// <summary>A source (client address) locked out of this user after too many wrong passwords.</summary>
[GenerateSerializer, Immutable, Alias("owg.SourceLock")]
public sealed record SourceLock(string Source, DateTimeOffset Until);

[GenerateSerializer, Immutable, Alias("owg.SessionPlacement")]
public sealed record SessionPlacement(Guid SessionId, string ServerId);
