namespace OrleansWg.Grains.Admin;

[GenerateSerializer, Alias("owg.AdminAccountsState")]
public sealed class AdminAccountsState
{
    /// <summary>Whether the bootstrap secret made the first owner already: it makes none again.</summary>
    [Id(0)] public bool Bootstrapped { get; set; }

    [Id(1)] public Dictionary<string, AdminAccount> Accounts { get; set; } = [];

    /// <summary>API tokens by id.</summary>
    [Id(2)] public Dictionary<string, ApiToken> Tokens { get; set; } = [];

    [Id(3)] public AdminSettings Settings { get; set; } = AdminSettings.Default;

    /// <summary>The last generation given to any account: an account made again after a deletion never gets one its logins of before had.</summary>
    [Id(4)] public int LastGeneration { get; set; }
}

[GenerateSerializer, Alias("owg.AdminAccount")]
public sealed class AdminAccount
{
    [Id(0)] public AdminRole Role { get; set; }

    /// <summary>Argon2id; null for a service account, which cannot log in.</summary>
    [Id(1)] public string? PasswordHash { get; set; }

    [Id(2)] public string? TotpSecret { get; set; }

    /// <summary>The secret the last login gave to set up, until its first code confirms it.</summary>
    [Id(3)] public string? PendingTotpSecret { get; set; }

    /// <summary>The time step of the last TOTP code taken: no code is taken twice.</summary>
    [Id(4)] public long LastTotpStep { get; set; }

    /// <summary>New when the account is made and when its password, role or TOTP changes, which ends the logins made before.</summary>
    [Id(5)] public int Generation { get; set; }

    [Id(6)] public DateTimeOffset Created { get; set; }

    /// <summary>The identity provider's issuer and id of the person, for an account their single sign-on made; null otherwise.</summary>
    [Id(7)] public string? SsoSubject { get; set; }
}

[GenerateSerializer, Alias("owg.ApiToken")]
public sealed class ApiToken
{
    [Id(0)] public string Account { get; set; } = "";

    [Id(1)] public string Name { get; set; } = "";

    [Id(2)] public AdminRole Role { get; set; }

    /// <summary>SHA-256 of the secret.</summary>
    [Id(3)] public byte[] SecretHash { get; set; } = [];

    [Id(4)] public DateTimeOffset Created { get; set; }

    [Id(5)] public DateTimeOffset Expires { get; set; }

    [Id(6)] public DateTimeOffset? LastUsed { get; set; }

    [Id(7)] public DateTimeOffset? Revoked { get; set; }
}
