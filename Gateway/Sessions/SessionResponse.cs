namespace OrleansWg.Gateway.Sessions;

/// <summary>A session as its own client sees it: nothing of the control plane's internals.</summary>
public sealed record SessionResponse(
    Guid SessionId,
    SessionStatus Status,
    string? Server,
    string? Address,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? LastActivity,
    CloseReason? CloseReason)
{
    public static SessionResponse From(SessionView view) =>
        new(view.SessionId, view.Status, view.ServerId, view.Address, view.CreatedAt, view.ExpiresAt, view.LastActivity, view.CloseReason);
}
