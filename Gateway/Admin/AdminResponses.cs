using OrleansWg.Gateway.Limits;

namespace OrleansWg.Gateway.Admin;

/// <param name="Sessions">The user's live sessions and the server each one is on.</param>
/// <param name="Lockouts">Addresses locked out of this user after too many wrong passwords, and until when.</param>
/// <param name="Limits">The user's own bandwidth limits; null fields: their servers' groups' apply.</param>
/// <param name="NewAddressesLockedUntil">
/// Until when every address the user has not logged in from is locked out of it, after too many
/// wrong passwords from such addresses together; null: none is.
/// </param>
/// <param name="Mfa">Whether the user connects with a one-time code, and how many recovery codes they have left.</param>
/// <param name="Sso">For a user the identity provider made (single sign-on): <c>allowed</c>, or <c>refused-by-provider</c> since a re-check; null for a password user.</param>
public sealed record UserResponse(
    string Name, PermissionsBody Permissions, SessionPlacement[] Sessions, SourceLock[] Lockouts, bool Locked, LimitsBody Limits, DateTimeOffset? NewAddressesLockedUntil,
    UserMfa Mfa, string? Sso)
{
    public static UserResponse From(UserProfile profile) =>
        new(profile.Name, PermissionsBody.From(profile.Permissions), [.. profile.Sessions], [.. profile.Lockouts], profile.LockedByAdmin,
            LimitsBody.From(profile.Limit), profile.NewSourcesLockedUntil, new UserMfa(profile.MfaEnrolled, profile.RecoveryCodesLeft),
            profile.Sso is { } sso ? System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(sso.ToString()) : null);
}

public sealed record UserMfa(bool Enrolled, int RecoveryCodesLeft);

/// <param name="Status">up, draining (no new sessions), down (its node has missed its heartbeats), or revoked (its node's certificates are).</param>
/// <param name="CertificateExpiresAt">When its node's newest certificate from enrollment ends (the node renews it before); null: its node has not enrolled.</param>
public sealed record ServerResponse(
    string Id,
    string Status,
    string Group,
    string PublicAddress,
    int Capacity,
    int Sessions,
    bool Draining,
    bool Connected,
    DateTimeOffset? LastSeen,
    int PortMin,
    int PortMax,
    string TunnelPool,
    DateTimeOffset? CertificateExpiresAt,
    DateTimeOffset? RevokedAt,
    string WireGuard)
{
    public static ServerResponse From(ServerView view) => new(view.Id,
        view.RevokedAt is not null ? "revoked" : !view.Connected ? "down" : view.Draining ? "draining" : "up", view.Registration.Group, view.Registration.PublicAddress,
        view.Registration.Capacity, view.Peers.Length, view.Draining, view.Connected, view.LastSeen,
        view.Registration.PortMin, view.Registration.PortMax, view.Registration.TunnelPool, view.CertificateExpiresAt, view.RevokedAt,
        view.Registration.WireGuard ?? "userspace");
}

/// <summary>A session as the admin sees it: the session's own view, and its peer's traffic as its node last reported it.</summary>
public sealed record AdminSessionResponse(
    Guid SessionId,
    string User,
    string? ServerId,
    string? Address,
    SessionStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? LastActivity,
    DateTimeOffset? LastHandshake,
    long ReceivedBytes,
    long SentBytes,
    LimitsBody Limits)
{
    public static AdminSessionResponse From(SessionView view, PeerView peer) => new(view.SessionId, view.User, view.ServerId, view.Address,
        view.Status, view.CreatedAt, view.ExpiresAt, view.LastActivity, peer.Traffic?.LastHandshake, peer.Traffic?.ReceivedBytes ?? 0,
        peer.Traffic?.SentBytes ?? 0, LimitsBody.From(view.Limit));
}

/// <param name="Stayed">Sessions no other permitted server took: they stay on the drained server until they end.</param>
public sealed record EvacuationResponse(Guid[] Moved, Guid[] Stayed);
