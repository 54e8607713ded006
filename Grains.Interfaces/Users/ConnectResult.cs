namespace OrleansWg;

[GenerateSerializer, Alias("owg.ConnectStatus")]
public enum ConnectStatus
{
    Connected,
    InvalidCredentials,
    LockedOut,
    SessionLimitReached,
    ServerNotPermitted,
    NoServerAvailable,

    /// <summary>The idempotency key names another connect, or one whose session has ended.</summary>
    Conflict,

    /// <summary>The silo is checking as many passwords as it may at once: try again shortly.</summary>
    Busy,

    /// <summary>The right password, but an admin has locked the account.</summary>
    LockedByAdmin,

    /// <summary>The right password of a user enrolled in MFA, without a one-time code: ask for one and try again.</summary>
    OtpRequired,

    /// <summary>The right password, but a wrong, used or late one-time code: counted like a wrong password.</summary>
    WrongOtp,

    /// <summary>A group of the user requires MFA and the user has not enrolled.</summary>
    MfaEnrollmentRequired,

    /// <summary>The cluster cannot keep MFA secrets: no key is set (Users:SecretKeys).</summary>
    MfaUnavailable,

    /// <summary>A group of the user requires single sign-on: a password does not connect them.</summary>
    SsoRequired,

    /// <summary>The identity provider no longer lets this user log in.</summary>
    SsoRevoked,
}

/// <summary>What a connect came to: a session, or the reason there is none.</summary>
/// <param name="Detail">Safe to show the user: names nothing internal (the cause is logged where it happened).</param>
/// <param name="FailedSession">
/// The session whose start failed, if one was tried: the user's reference for an admin, who reads
/// the cause in that session's view.
/// </param>
[GenerateSerializer, Immutable, Alias("owg.ConnectResult")]
public sealed record ConnectResult(ConnectStatus Status, SessionConfig? Session, string? Detail, TimeSpan? RetryAfter, Guid? FailedSession = null)
{
    public static ConnectResult Connected(SessionConfig session) => new(ConnectStatus.Connected, session, null, null);

    public static ConnectResult Failed(ConnectStatus status, string detail, TimeSpan? retryAfter = null) =>
        new(status, null, detail, retryAfter);
}
