namespace OrleansWg;

public static class AuditKinds
{
    public const string Login = "login";
    public const string Connect = "connect";
    public const string Disconnect = "disconnect";
    public const string Close = "close";
    public const string Move = "move";

    /// <summary>A node's enrollment with a join token: ok, or why it was refused.</summary>
    public const string Enroll = "enroll";
    public const string AdminPrefix = "admin.";
}

/// <summary>What came of a login, as the audit log and its log lines (which fail2ban reads) spell it.</summary>
public static class LoginOutcomes
{
    public const string Ok = "ok";
    public const string WrongPassword = "wrong-password";
    public const string UnknownUser = "unknown-user";
    public const string Locked = "locked";
    public const string LockedByAdmin = "locked-by-admin";
    public const string Busy = "busy";
    public const string RateLimited = "rate-limited";
}
