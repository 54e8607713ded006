namespace OrleansWg;

[GenerateSerializer, Alias("owg.SessionStatus")]
public enum SessionStatus { Provisioning, Active, Closing, Closed, Failed }

[GenerateSerializer, Alias("owg.CloseReason")]
public enum CloseReason { Client, Idle, Lifetime, Admin, NodeLost, UserDeleted, StartFailed, CredentialsChanged }

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
    string? FailureCause);
