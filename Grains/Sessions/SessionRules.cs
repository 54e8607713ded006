namespace OrleansWg.Grains.Sessions;

/// <summary>Whether a session should end now, decided from its durable state and what its server says.</summary>
public static class SessionRules
{
    /// <param name="nodeDownFor">How long the session's node has been down; null while it is up or not known.</param>
    /// <param name="activityKnown">
    /// Its server answered with what its node reported; otherwise (no answer, or a server that has
    /// not heard from its node since a silo's death) the session is not judged idle, as the activity
    /// it keeps is written only now and then.
    /// </param>
    public static CloseReason? ReasonToClose(SessionState session, DateTimeOffset now, SessionOptions options, TimeSpan? nodeDownFor, bool activityKnown) =>
        session.Status switch
        {
            SessionStatus.Closing => session.CloseReason,
            // A start that has not finished within a check period was cut off (a silo died mid-start).
            SessionStatus.Provisioning when now - session.CreatedAt >= options.CheckPeriod => CloseReason.StartFailed,
            SessionStatus.Active when now >= session.ExpiresAt => CloseReason.Lifetime,
            SessionStatus.Active when nodeDownFor >= options.NodeLostGrace => CloseReason.NodeLost,
            // A peer that never handshook is idle counting from the start.
            SessionStatus.Active when activityKnown && now - Later(session.CreatedAt, session.LastActivity) >= options.IdleTimeout => CloseReason.Idle,
            _ => null,
        };

    /// <summary>
    /// What the client sends into the tunnel: the routes of its server's group, always with the
    /// resolver's address so that names resolve whatever the routes; with no routes, <paramref name="fullTunnel"/>.
    /// </summary>
    public static string AllowedIps(PeerGrant grant, string fullTunnel) =>
        grant.Dns is { Routes: { IsDefaultOrEmpty: false } routes }
            ? string.Join(", ", routes.Concat(grant.DnsServer is { } resolver ? [$"{resolver}/32"] : []).Distinct())
            : fullTunnel;

    /// <summary>Why a start may not come to a session that was started before; null when it may.</summary>
    public static string? ReplayConflict(SessionState session, SessionStart start) => session switch
    {
        _ when session.User != start.User || (start.ClientPublicKey is not null && start.ClientPublicKey != session.ClientPublicKey) =>
            "the Idempotency-Key was used for another connect",
        _ when start.ClientPublicKey is null => "this connect's key pair was given out once; connect again with a new Idempotency-Key",
        { Status: SessionStatus.Closing or SessionStatus.Closed } => "the session this connect made has ended; connect again with a new Idempotency-Key",
        _ => null,
    };

    private static DateTimeOffset Later(DateTimeOffset created, DateTimeOffset? activity) =>
        activity > created ? activity.Value : created;
}
