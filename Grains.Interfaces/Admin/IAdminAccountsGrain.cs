namespace OrleansWg;

/// <summary>
/// The installation's admin accounts, their API tokens and the owner's settings for them. One grain
/// for all (key 0): a handful of people and services, and one place that knows, so the first owner
/// is made exactly once and a revoked token or a deleted account is refused at once by every Gateway.
/// Each admin request asks it who its token is; none of those reads waits for another.
/// </summary>
[Alias("owg.IAdminAccountsGrain")]
[Version(1)]
public interface IAdminAccountsGrain : IGrainWithIntegerKey
{
    /// <summary>Makes the first owner, once: false when an owner was made this way before.</summary>
    [Alias("Bootstrap")] Task<bool> Bootstrap(string name, string password);

    /// <summary>Makes an account: with a password, a person's who logs in to the console; without, a service's, which has only tokens.</summary>
    /// <returns>false when the name is taken.</returns>
    [Alias("CreateAccount")] Task<bool> CreateAccount(string name, AdminRole role, string? password);

    /// <summary>Deletes the account: its tokens and console logins end. The last owner stays.</summary>
    [Alias("DeleteAccount")] Task<AccountChange> DeleteAccount(string name);

    /// <summary>
    /// Changes the role: the account's console logins end, and its tokens that the new role does not
    /// cover are revoked. The last owner stays an owner.
    /// </summary>
    [Alias("SetRole")] Task<AccountChange> SetRole(string name, AdminRole role);

    /// <summary>Sets a person's password; their console logins end.</summary>
    [Alias("SetPassword")] Task<bool> SetPassword(string name, string password);

    /// <summary>A person sets their own password, knowing the one they have; their console logins end.</summary>
    /// <returns>false when <paramref name="current"/> is not their password.</returns>
    [Alias("ChangeOwnPassword")] Task<bool> ChangeOwnPassword(string name, string current, string password);

    /// <summary>Forgets a person's TOTP: their next login sets it up anew.</summary>
    [Alias("ResetTotp")] Task<bool> ResetTotp(string name);

    [Alias("GetAccount"), ReadOnly] Task<AdminAccountView?> GetAccount(string name);

    [Alias("ListAccounts"), ReadOnly] Task<ImmutableArray<AdminAccountView>> ListAccounts();

    /// <summary>
    /// A console login: the password, then the TOTP code when the account has TOTP. An account that
    /// must have TOTP and has none gets a secret to set up, which <see cref="ConfirmTotp"/> takes.
    /// </summary>
    [Alias("LogIn")] Task<AdminLogin> LogIn(string name, string password, string? code);

    /// <summary>
    /// Sets up the TOTP secret the last login gave, when <paramref name="code"/> is its current code
    /// and the account is still as it was then (<paramref name="generation"/>): a password reset
    /// since makes the setup void.
    /// </summary>
    [Alias("ConfirmTotp")] Task<AdminLogin> ConfirmTotp(string name, int generation, string secret, string code);

    /// <summary>
    /// A person's console login by single sign-on, with the role their identity provider's claim
    /// gives: makes their account on the first (just in time), ties it to <paramref name="subject"/>,
    /// and sets its role anew each time (a change ends the logins of before). Refused for an
    /// account of that name that another subject, or a password, made.
    /// </summary>
    [Alias("SsoLogIn")] Task<AdminLogin> SsoLogIn(string name, string subject, AdminRole role);

    /// <summary>The account's role while the login of <paramref name="generation"/> holds: null once the account is gone or its password, role or TOTP changed.</summary>
    [Alias("CheckLogin"), AlwaysInterleave] Task<AdminRole?> CheckLogin(string name, int generation);

    /// <summary>Makes an API token; its secret is in the answer, and nowhere else.</summary>
    [Alias("IssueToken")] Task<ApiTokenIssue> IssueToken(ApiTokenRequest request);

    /// <summary>Who a token is, when <paramref name="secretHash"/> (SHA-256 of its secret) is its and it is neither expired nor revoked.</summary>
    [Alias("Authenticate"), AlwaysInterleave] Task<AdminActor?> Authenticate(string tokenId, byte[] secretHash);

    /// <summary>The tokens of <paramref name="account"/>, or of every account when null; revoked and expired ones too, for a while.</summary>
    [Alias("ListTokens"), ReadOnly] Task<ImmutableArray<ApiTokenView>> ListTokens(string? account);

    [Alias("GetToken"), ReadOnly] Task<ApiTokenView?> GetToken(string tokenId);

    /// <summary>Revokes the token: every Gateway refuses it from now on.</summary>
    [Alias("RevokeToken")] Task<bool> RevokeToken(string tokenId);

    [Alias("GetSettings"), ReadOnly] Task<AdminSettings> GetSettings();

    [Alias("SetSettings")] Task SetSettings(AdminSettings settings);
}

/// <param name="HasPassword">A person's account, who logs in to the console; a service's has only tokens.</param>
[GenerateSerializer, Immutable, Alias("owg.AdminAccountView")]
public sealed record AdminAccountView(string Name, AdminRole Role, bool HasPassword, bool HasTotp, DateTimeOffset Created);

public enum AccountChange
{
    Done,
    NotFound,
    /// <summary>Refused: it would leave the installation without an owner.</summary>
    LastOwner,
}

public enum AdminLoginOutcome
{
    LoggedIn,
    WrongCredentials,
    /// <summary>The password was right; the account's TOTP code is missing or wrong.</summary>
    CodeNeeded,
    /// <summary>The password was right; the account must set up TOTP first, with <see cref="AdminLogin.TotpSecret"/>.</summary>
    TotpSetupNeeded,
}

/// <param name="Generation">Which state of the account the login was made in: the login ends when the account's password, role or TOTP changes, or it is deleted.</param>
/// <param name="TotpSecret">The secret to set up, base32, when <see cref="AdminLoginOutcome.TotpSetupNeeded"/>.</param>
[GenerateSerializer, Immutable, Alias("owg.AdminLogin")]
public sealed record AdminLogin(AdminLoginOutcome Outcome, AdminRole Role = AdminRole.Auditor, int Generation = 0, string? TotpSecret = null);

/// <summary>Who makes an admin request: an account, by its console login or by one of its tokens.</summary>
[GenerateSerializer, Immutable, Alias("owg.AdminActor")]
public sealed record AdminActor(string Account, AdminRole Role, string? TokenId = null);

[GenerateSerializer, Immutable, Alias("owg.ApiTokenRequest")]
public sealed record ApiTokenRequest(string Account, AdminRole Role, string Name, DateTimeOffset Expires);

public enum ApiTokenIssueOutcome
{
    Issued,
    UnknownAccount,
    /// <summary>The account's role does not cover the token's.</summary>
    RoleNotCovered,
    /// <summary>The expiry is past, or later than the owner's maximum allows.</summary>
    ExpiryOutOfRange,
    /// <summary>The installation, or the account, has as many live tokens as it may.</summary>
    TooMany,
}

/// <param name="Token">The whole token, secret included: shown once.</param>
[GenerateSerializer, Immutable, Alias("owg.ApiTokenIssue")]
public sealed record ApiTokenIssue(ApiTokenIssueOutcome Outcome, ApiTokenView? View = null, string? Token = null);

[GenerateSerializer, Immutable, Alias("owg.ApiTokenView")]
public sealed record ApiTokenView(
    string Id, string Account, string Name, AdminRole Role, DateTimeOffset Created, DateTimeOffset Expires, DateTimeOffset? LastUsed, bool Revoked);

/// <param name="MaxTokenLifetime">How far ahead a token's expiry may be.</param>
/// <param name="TotpRequiredFor">The roles whose people must log in with TOTP.</param>
[GenerateSerializer, Immutable, Alias("owg.AdminSettings")]
public sealed record AdminSettings(TimeSpan MaxTokenLifetime, ImmutableArray<AdminRole> TotpRequiredFor)
{
    public static readonly AdminSettings Default = new(TimeSpan.FromDays(365), [AdminRole.Owner, AdminRole.Admin]);
}
