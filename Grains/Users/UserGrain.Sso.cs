using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansWg.Grains.Sso;

namespace OrleansWg.Grains.Users;

/// <summary>
/// A user's single sign-on: made on their first login (just in time) with the groups their
/// identity provider gives, which follow the provider at every login; connected by a short-lived
/// grant in place of a password; and, while they have sessions, re-checked with the provider
/// (their refresh token) every Sso:RecheckPeriod, their sessions ended once it refuses them.
/// </summary>
public sealed partial class UserGrain : IRemindable
{
    private const string SsoRecheck = "sso-recheck";

    // Whether this activation has the re-check's reminder registered: one write for it, not one a connect.
    private bool ssoRecheckRegistered;

    private SsoOptions Sso => services.GetRequiredService<IOptions<SsoOptions>>().Value;

    public async Task<SsoPoll> SsoLogin(SsoIdentity identity)
    {
        var now = clock.GetUtcNow();
        var refusal = state.State.Exists && state.State.Sso?.Subject != identity.Subject
                ? "a user of this name, who did not come from this identity provider, exists here: an admin must delete them first"
            : state.State.LockedByAdmin ? "the account is locked by an administrator"
            : identity.RefreshToken is not null && !secrets.CanSeal ? "this cluster cannot keep the identity provider's tokens: an operator must set Users:SecretKeys"
            : null;
        if (refusal is not null)
        {
            await audit.Append(new AuditEvent(now, AuditKinds.Sso, SsoOutcomes.Refused, Name, identity.Source, Detail: refusal));
            return new SsoPoll(SsoStatus.Refused, refusal);
        }

        var created = !state.State.Exists;
        var grant = Base64Url(RandomNumberGenerator.GetBytes(32));
        var expires = now + Sso.GrantLifetime;
        state.State.Sso = new SsoState
        {
            Subject = identity.Subject,
            SealedRefreshToken = identity.RefreshToken is { } token ? secrets.Seal(Name, token) : null,
            GrantHash = SHA256.HashData(Encoding.UTF8.GetBytes(grant)),
            GrantExpires = expires,
        };
        state.State.Permissions = state.State.Permissions with { Groups = identity.Groups };
        await state.WriteStateAsync();
        if (created)
        {
            await Directory.Add(Name);
        }

        await audit.Append(new AuditEvent(now, AuditKinds.Sso, created ? SsoOutcomes.Created : SsoOutcomes.Ok, Name, identity.Source,
            Detail: $"groups: {string.Join(", ", identity.Groups)}"));
        return new SsoPoll(SsoStatus.LoggedIn, null, Name, grant, expires);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != SsoRecheck)
        {
            return;
        }

        if (state.State.Sso is not { Revoked: false, SealedRefreshToken: { } sealedToken } sso || state.State.Sessions.Count == 0 || !Sso.Enabled)
        {
            await StopSsoRecheck();
            return;
        }

        TokenAnswer answer;
        (string Subject, string? UserName, ImmutableArray<string> Groups)? identity;
        var client = services.GetRequiredService<OidcClient>();
        try
        {
            answer = await client.Refresh(secrets.Open(Name, sealedToken));
            identity = answer.IdToken is { } idToken ? await client.Validate(idToken) : null;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            logger.LogWarning(exception, "The identity provider did not answer the re-check of {User}; asking again in {Period}", Name, Sso.RecheckPeriod);
            return;
        }

        if (answer.Error is not null)
        {
            logger.LogInformation("The identity provider no longer lets {User} in ({Error}): their sessions end", Name, answer.Error);
            sso.Revoked = true;
            sso.SealedRefreshToken = null;
            await state.WriteStateAsync();
            await audit.Append(new AuditEvent(clock.GetUtcNow(), AuditKinds.Sso, SsoOutcomes.Revoked, Name, Detail: answer.Error));
            await CloseSessions(CloseReason.CredentialsChanged);
            await StopSsoRecheck();
            return;
        }

        sso.SealedRefreshToken = answer.RefreshToken is { } rotated ? secrets.Seal(Name, rotated) : sealedToken;
        if (identity is { } current && $"{Sso.Issuer}|{current.Subject}" == sso.Subject)
        {
            state.State.Permissions = state.State.Permissions with { Groups = Sso.ServerGroups(current.Groups) };
        }

        await state.WriteStateAsync();
    }

    /// <summary>Whether <paramref name="grant"/> is the user's single sign-on's, in its time.</summary>
    private bool IsSsoGrant(string grant, DateTimeOffset now) =>
        state.State.Sso is { GrantHash: { } hash } sso && sso.GrantExpires > now
        && CryptographicOperations.FixedTimeEquals(hash, SHA256.HashData(Encoding.UTF8.GetBytes(grant)));

    /// <summary>Registers the re-check of a single sign-on user who has a session now, once an activation.</summary>
    private async Task RecheckSsoWhileConnected()
    {
        if (state.State.Sso is { SealedRefreshToken: not null } && !ssoRecheckRegistered)
        {
            await this.RegisterOrUpdateReminder(SsoRecheck, Sso.RecheckPeriod, Sso.RecheckPeriod);
            ssoRecheckRegistered = true;
        }
    }

    private async Task StopSsoRecheck()
    {
        if (await this.GetReminder(SsoRecheck) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        ssoRecheckRegistered = false;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
