namespace OrleansWg.Grains.Sessions;

/// <summary>Whether a session should end now, decided from its durable state alone.</summary>
public static class SessionRules
{
    public static CloseReason? ReasonToClose(SessionState session, DateTimeOffset now, SessionOptions options) =>
        session.Status switch
        {
            SessionStatus.Closing => session.CloseReason,
            // A start that has not finished within a check period was cut off (a silo died mid-start).
            SessionStatus.Provisioning when now - session.CreatedAt >= options.CheckPeriod => CloseReason.StartFailed,
            SessionStatus.Active when now >= session.ExpiresAt => CloseReason.Lifetime,
            _ => null,
        };
}
