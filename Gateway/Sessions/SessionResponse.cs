using OrleansWg.Gateway.Limits;

namespace OrleansWg.Gateway.Sessions;

/// <summary>A session as its own client sees it: nothing of the control plane's internals.</summary>
/// <param name="Revision">One more each time the session moves to another server: then take the new endpoint and server key.</param>
/// <param name="Limits">The bandwidth limits its node holds it to, in Mbit/s; null: not limited.</param>
/// <param name="Dns">The resolvers its client uses, inside the tunnel; with <paramref name="SearchDomains"/> and <paramref name="AllowedIps"/>, as its server's group has them.</param>
public sealed record SessionResponse(
    Guid SessionId,
    SessionStatus Status,
    string? Server,
    string? Address,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? LastActivity,
    CloseReason? CloseReason,
    string? Endpoint,
    string? ServerPublicKey,
    long Revision,
    SessionMove[] Moves,
    LimitsBody Limits,
    string[] Dns,
    string[] SearchDomains,
    string? AllowedIps)
{
    public static SessionResponse From(SessionView view) =>
        new(view.SessionId, view.Status, view.ServerId, view.Address, view.CreatedAt, view.ExpiresAt, view.LastActivity, view.CloseReason,
            view.Endpoint, view.ServerPublicKey, view.Revision, [.. view.Moves], LimitsBody.From(view.Limit),
            [.. view.Dns], [.. view.SearchDomains], view.AllowedIps);
}
