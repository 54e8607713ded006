namespace OrleansWg;

/// <summary>
/// Single sign-on with the organisation's OpenID Connect provider, by the device authorization
/// grant (RFC 8628): the cluster is the provider's client (its id and secret are the silos'), and
/// <c>owg connect --sso</c> only shows the user where to log in and waits. A stateless worker: any
/// silo's activation serves any call.
/// </summary>
[Alias("owg.ISsoGrain")]
[Version(1)]
public interface ISsoGrain : IGrainWithIntegerKey
{
    /// <summary>Asks the provider for a device login: where the user logs in, and the code to enter there.</summary>
    [Alias("BeginDeviceLogin")] Task<DeviceLogin> BeginDeviceLogin();

    /// <summary>
    /// Asks the provider whether the user has logged in for <paramref name="deviceCode"/>. Once they
    /// have, checks the ID token, makes or updates the user (their groups follow the provider's),
    /// and answers a short-lived grant that a connect takes in place of a password.
    /// </summary>
    [Alias("PollDeviceLogin")] Task<SsoPoll> PollDeviceLogin(string deviceCode, string source);

    /// <summary>
    /// Asks the provider, with the user's refresh token, whether they may still connect, and tells
    /// the user's grain (<see cref="IUserGrain.ApplySsoRecheck"/>). One-way: the user's grain does
    /// not wait on the provider in its turn.
    /// </summary>
    [Alias("Recheck"), OneWay] Task Recheck(string user, string sealedRefreshToken);
}

[GenerateSerializer, Alias("owg.SsoRecheckOutcome")]
public enum SsoRecheckOutcome
{
    /// <summary>The provider still lets the user in.</summary>
    Allowed,

    /// <summary>The provider refused the refresh token (invalid_grant): the user was stopped or removed there.</summary>
    Refused,

    /// <summary>The provider did not answer, or not as the protocol says: nothing is known.</summary>
    Unavailable,
}

/// <param name="CheckedToken">The sealed refresh token the re-check used: a re-check of a token that has been replaced since is not applied.</param>
/// <param name="SealedRefreshToken">The provider's new refresh token, sealed, when it rotated it.</param>
/// <param name="Groups">The server groups of the provider's groups now, when the answer carried an ID token.</param>
[GenerateSerializer, Immutable, Alias("owg.SsoRecheck")]
public sealed record SsoRecheck(string CheckedToken, SsoRecheckOutcome Outcome, string? SealedRefreshToken = null, ImmutableArray<string>? Groups = null,
    string? Detail = null)
{
    public override string ToString() => $"SsoRecheck {{ Outcome = {Outcome}, Detail = {Detail} }}";
}

[GenerateSerializer, Alias("owg.SsoStatus")]
public enum SsoStatus
{
    /// <summary>Done: <see cref="SsoPoll.UserName"/> and <see cref="SsoPoll.Grant"/> are set.</summary>
    LoggedIn,

    /// <summary>The user has not logged in yet: ask again after the interval.</summary>
    Pending,

    /// <summary>Asked too often: ask again after a longer interval.</summary>
    SlowDown,

    /// <summary>The user said no at the provider.</summary>
    Denied,

    /// <summary>The device login's time ran out before the user logged in.</summary>
    Expired,

    /// <summary>The provider or the cluster refuses this user: an ID token that does not check out, a name that is not a user name, a user of that name who is not theirs, or an admin's lock.</summary>
    Refused,

    /// <summary>The cluster has no provider (Sso:Issuer is empty).</summary>
    NotConfigured,

    /// <summary>The provider did not answer.</summary>
    Unavailable,
}

/// <param name="DeviceCode">The provider's code for this login, which <see cref="ISsoGrain.PollDeviceLogin"/> takes.</param>
/// <param name="UserCode">What the user enters at <paramref name="VerificationUri"/>.</param>
/// <param name="VerificationUriComplete">The page with the code filled in, for a QR code; null when the provider has none.</param>
/// <param name="Interval">How long to wait between polls.</param>
[GenerateSerializer, Immutable, Alias("owg.DeviceLogin")]
public sealed record DeviceLogin(SsoStatus Status, string? Detail, string? DeviceCode, string? UserCode, string? VerificationUri,
    string? VerificationUriComplete, TimeSpan ExpiresIn, TimeSpan Interval)
{
    public override string ToString() => $"DeviceLogin {{ Status = {Status}, Detail = {Detail}, VerificationUri = {VerificationUri} }}";
}

/// <param name="Grant">A secret that a connect of <paramref name="UserName"/> takes in place of a password, until <paramref name="GrantExpiresAt"/>.</param>
[GenerateSerializer, Immutable, Alias("owg.SsoPoll")]
public sealed record SsoPoll(SsoStatus Status, string? Detail, string? UserName = null, string? Grant = null, DateTimeOffset? GrantExpiresAt = null,
    TimeSpan? RetryAfter = null)
{
    public override string ToString() => $"SsoPoll {{ Status = {Status}, Detail = {Detail}, UserName = {UserName} }}";
}

/// <summary>What the provider says of a user who logged in, once their ID token checked out.</summary>
/// <param name="Subject">The provider's id of the user (issuer and sub), which ties them to one user here.</param>
/// <param name="Groups">The server groups the provider's groups map to.</param>
/// <param name="RefreshToken">What the cluster asks the provider with, now and then, whether the user may still connect; null: the provider gave none.</param>
[GenerateSerializer, Immutable, Alias("owg.SsoIdentity")]
public sealed record SsoIdentity(string Subject, ImmutableArray<string> Groups, string? RefreshToken, string Source)
{
    public override string ToString() => $"SsoIdentity {{ Subject = {Subject}, Groups = {string.Join(",", Groups)}, Source = {Source} }}";
}
