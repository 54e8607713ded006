namespace OrleansWg;

/// <summary>
/// One line of the audit log: a login attempt, a connect, a session's end, or an admin action.
/// </summary>
/// <param name="Kind">login, connect, move, disconnect, close, enroll (a node's), or admin.ACTION (such as admin.drain-server).</param>
/// <param name="Outcome">
/// For a login: ok, wrong-password, unknown-user, locked, locked-by-admin, busy or rate-limited; for
/// a close, its reason; for an enrollment: ok, token-not-valid or bad-request; for an admin action: ok, invalid, not-found or conflict.
/// </param>
/// <param name="User">The user it concerns (who logged in, whose session, whom an admin changed), if any.</param>
/// <param name="Source">The client's address: the one logging in, or the admin's.</param>
/// <param name="Actor">The admin account that acted, for an admin action or login.</param>
/// <param name="ActorRole">The role it acted with: its login's, or its token's.</param>
/// <param name="Count">
/// How many it stands for: failed logins (see <see cref="LoginOutcomes.IsCounted"/>) are kept as
/// one row per outcome, user, address and minute, with their count.
/// </param>
[GenerateSerializer, Immutable, Alias("owg.AuditEvent")]
public sealed record AuditEvent(
    DateTimeOffset At,
    string Kind,
    string Outcome,
    string? User = null,
    string? Source = null,
    Guid? SessionId = null,
    string? ServerId = null,
    string? Detail = null,
    string? Actor = null,
    string? ActorRole = null,
    int Count = 1);
