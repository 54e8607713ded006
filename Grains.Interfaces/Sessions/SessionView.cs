namespace OrleansWg;

[GenerateSerializer, Alias("owg.SessionStatus")]
public enum SessionStatus { Provisioning, Active, Closing, Closed, Failed }

[GenerateSerializer, Alias("owg.CloseReason")]
public enum CloseReason { Client, Idle, Lifetime, Admin, NodeLost, UserDeleted, StartFailed, CredentialsChanged }

[GenerateSerializer, Alias("owg.MoveReason")]
public enum MoveReason
{
    /// <summary>The session's node missed its heartbeats for Placement:NodeDownAfter.</summary>
    NodeDown,

    /// <summary>An admin evacuated the server.</summary>
    Evacuated,

    /// <summary>An admin revoked the certificates of the server's node.</summary>
    Revoked,
}

[GenerateSerializer, Immutable, Alias("owg.SessionMove")]
public sealed record SessionMove(string From, string To, DateTimeOffset At, MoveReason Reason);

/// <param name="Revision">One more each time the session moves: the client's cue to take the new endpoint and server key.</param>
/// <param name="Limit">The bandwidth limit its node enforces: the user's, else its server group's.</param>
/// <param name="Dns">The resolvers its client uses, inside the tunnel; <paramref name="SearchDomains"/> and <paramref name="AllowedIps"/> as its server's group gives them.</param>
[GenerateSerializer, Immutable, Alias("owg.SessionView")]
public sealed record SessionView(
    Guid SessionId,
    string User,
    string? ServerId,
    string? Address,
    SessionStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? LastCheckedAt,
    DateTimeOffset? LastActivity,
    CloseReason? CloseReason,
    string? FailureCause,
    string? Endpoint,
    string? ServerPublicKey,
    long Revision,
    ImmutableArray<SessionMove> Moves,
    BandwidthLimit? Limit,
    ImmutableArray<string> Dns,
    ImmutableArray<string> SearchDomains,
    string? AllowedIps);
