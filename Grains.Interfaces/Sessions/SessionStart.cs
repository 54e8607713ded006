namespace OrleansWg;

/// <param name="Servers">Candidate servers, best first; the session takes the first that accepts it.</param>
/// <param name="Address">The session's tunnel address, the user's (a /32): it stays the same when the session moves.</param>
/// <param name="Limit">The user's own bandwidth limit.</param>
/// <param name="Login">The login this start follows: the session records it, with its connect, when it connects.</param>
[GenerateSerializer, Immutable, Alias("owg.SessionStart")]
public sealed record SessionStart(string User, string? ClientPublicKey, ImmutableArray<string> Servers, string Address, BandwidthLimit? Limit = null, AuditEvent? Login = null);

