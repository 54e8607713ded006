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

    /// <summary>A user's single sign-on: <see cref="SsoOutcomes"/>.</summary>
    public const string Sso = "sso";

    /// <summary>A user's MFA changed: <see cref="MfaOutcomes"/>.</summary>
    public const string Mfa = "mfa";
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

    /// <summary>The right password of a user enrolled in MFA, without a code: not a failure, the client asks for one.</summary>
    public const string OtpRequired = "otp-required";
    public const string WrongOtp = "wrong-otp";
    public const string MfaEnrollmentRequired = "mfa-enrollment-required";
    public const string SsoRequired = "sso-required";
    public const string SsoRevoked = "sso-revoked";

    /// <summary>A login with one of the user's recovery codes instead of a one-time code: that code is spent.</summary>
    public const string RecoveryCode = "ok-recovery-code";

    /// <summary>
    /// Whether a login of this outcome is kept as a count (one row per outcome, user, address and
    /// minute) rather than a row of its own: the failures a flood of guesses makes. An unknown
    /// user's are counted per address only, as made-up names are not users.
    /// </summary>
    public static bool IsCounted(string outcome) => outcome is WrongPassword or UnknownUser or Locked or WrongOtp or Busy or RateLimited;
}

public static class SsoOutcomes
{
    /// <summary>A login by the provider made the user (just in time).</summary>
    public const string Created = "created";
    public const string Ok = "ok";
    public const string Refused = "refused";

    /// <summary>The provider refused the user at a re-check: their sessions ended.</summary>
    public const string Revoked = "revoked";
}

public static class MfaOutcomes
{
    public const string Begun = "begun";
    public const string Enrolled = "enrolled";
}
