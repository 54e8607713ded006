namespace OrleansWg.Grains.Users;

[GenerateSerializer, Alias("owg.UserState")]
public sealed record UserState
{
    [Id(0)] public string? PasswordHash { get; set; }

    [Id(1)] public ServerPermissions Permissions { get; set; } = ServerPermissions.None;

    /// <summary>Live sessions and the server each one is on.</summary>
    [Id(4)] public Dictionary<Guid, string> Sessions { get; set; } = [];

    /// <summary>Wrong passwords, by source and from new sources, and the user's own addresses; see <see cref="Lockout"/>.</summary>
    /// <remarks>[Id(5)] is not used again: states written by 0.1 hold the failures by source under it.</remarks>
    [Id(11)] public LoginFailures Logins { get; set; } = new();

    [Id(6)] public bool LockedByAdmin { get; set; }

    /// <summary>The user's /24 of the cluster's tunnel pool, from the user directory; null until the first connect.</summary>
    [Id(7)] public int? AddressBlock { get; set; }

    /// <summary>The tunnel address of each session being started or live: the user gives each its own.</summary>
    [Id(8)] public Dictionary<Guid, string> Addresses { get; set; } = [];

    /// <summary>The user's own bandwidth limit; null: their servers' groups' apply.</summary>
    [Id(9)] public BandwidthLimit? Limit { get; set; }

    /// <summary>
    /// When the user's last session on each server ended: their container lingers there for
    /// Placement:ContainerLinger, so a reconnect within it goes back there when it may.
    /// </summary>
    [Id(10)] public Dictionary<string, DateTimeOffset> LastSessionEnded { get; set; } = [];

    /// <summary>The user's enrollment in MFA; null: none, nor one begun.</summary>
    [Id(12)] public MfaState? Mfa { get; set; }

    /// <summary>The user's single sign-on, for a user the identity provider made; null for a password user.</summary>
    [Id(13)] public SsoState? Sso { get; set; }

    public bool Exists => PasswordHash is not null || Sso is not null;

    public override string ToString() => $"UserState {{ Sessions = {Sessions.Count}, Sources with failures = {Logins.BySource.Count}, LockedByAdmin = {LockedByAdmin} }}";
}

[GenerateSerializer, Alias("owg.LoginFailures")]
public sealed record LoginFailures
{
    /// <summary>Wrong passwords by source (client address).</summary>
    [Id(0)] public Dictionary<string, SourceFailures> BySource { get; set; } = [];

    /// <summary>Wrong passwords from every source the user has not logged in from, counted together.</summary>
    [Id(1)] public SourceFailures FromNewSources { get; set; } = new();

    /// <summary>The sources of the user's latest successful logins, and when.</summary>
    [Id(2)] public Dictionary<string, DateTimeOffset> Trusted { get; set; } = [];
}

[GenerateSerializer, Alias("owg.SourceFailures")]
public sealed record SourceFailures
{
    /// <summary>Wrong passwords since the last lock, with no lockout period between two of them.</summary>
    [Id(0)] public int Count { get; set; }

    [Id(1)] public DateTimeOffset LastFailure { get; set; }

    [Id(2)] public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>How many times it was locked, one lock soon after the other: each lasts twice the one before.</summary>
    [Id(3)] public int Locks { get; set; }
}

/// <summary>A single sign-on user's tie to their identity provider.</summary>
[GenerateSerializer, Alias("owg.SsoState")]
public sealed record SsoState
{
    /// <summary>The provider's issuer and its id of the user: only they log in as this user.</summary>
    [Id(0)] public string Subject { get; set; } = "";

    /// <summary>The provider's refresh token, sealed by <see cref="UserSecrets"/>: what the user is re-checked with.</summary>
    [Id(1)] public string? SealedRefreshToken { get; set; }

    /// <summary>SHA-256 of the grant of the user's last login, which their connects take until <see cref="GrantExpires"/>.</summary>
    [Id(2)] public byte[]? GrantHash { get; set; }

    [Id(3)] public DateTimeOffset GrantExpires { get; set; }

    /// <summary>The idempotency key of the connect that took the grant: only that connect, tried again, takes it again.</summary>
    [Id(5)] public string? GrantTakenBy { get; set; }

    /// <summary>The provider refused the user at a re-check: no connect until they log in there again.</summary>
    [Id(4)] public bool Revoked { get; set; }
}

/// <summary>A user's TOTP: the secrets sealed by <see cref="UserSecrets"/>, never in the clear.</summary>
[GenerateSerializer, Alias("owg.MfaState")]
public sealed record MfaState
{
    /// <summary>The confirmed secret: a connect needs its code. Null until a first code confirms one.</summary>
    [Id(0)] public string? SealedSecret { get; set; }

    /// <summary>The secret of an enrollment begun, until its first code confirms it.</summary>
    [Id(1)] public string? PendingSealedSecret { get; set; }

    /// <summary>The time step of the last code taken: no code is taken twice.</summary>
    [Id(2)] public long LastStep { get; set; }

    /// <summary>The idempotency key of the connect that took <see cref="LastStep"/>'s code: that connect, tried again, may give it again.</summary>
    [Id(3)] public string? LastStepConnect { get; set; }

    /// <summary>SHA-256 of each recovery code not yet used; see <see cref="RecoveryCodes"/>.</summary>
    [Id(4)] public List<string> RecoveryCodeHashes { get; set; } = [];

    /// <summary>The last recovery code spent (its hash) and the idempotency key of its connect, which may give it again when tried again.</summary>
    [Id(5)] public string? LastRecoveryCode { get; set; }

    [Id(6)] public string? LastRecoveryConnect { get; set; }

    public bool Enrolled => SealedSecret is not null;
}
