using System.Security.Cryptography;
using System.Text;
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

    public async Task<SsoPoll> SsoLogin(SsoIdentity identity)
    {
        var now = clock.GetUtcNow();
        var nameTaken = state.State.Exists && state.State.Sso?.Subject != identity.Subject;
        var refusal = nameTaken
                ? "this user of the identity provider cannot log in as this user name here: an admin can tell why from the audit log"
            : state.State.LockedByAdmin ? "the account is locked by an administrator"
            : identity.RefreshToken is not null && !secrets.CanSeal ? "this cluster cannot keep the identity provider's tokens: an operator must set Users:SecretKeys"
            : null;
        if (refusal is not null)
        {
            var why = nameTaken ? $"the name is another's: {(state.State.Sso is null ? "a password user's" : "another subject's")}" : refusal;
            await audit.Append(new AuditEvent(now, AuditKinds.Sso, SsoOutcomes.Refused, Name, identity.Source, Detail: $"{why}; subject {identity.Subject}"));
            return new SsoPoll(SsoStatus.Refused, refusal);
        }

        var created = !state.State.Exists;
        var grant = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var expires = now + ssoOptions.Value.GrantLifetime;
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

        if (state.State.Sso is not { Revoked: false, SealedRefreshToken: { } sealedToken } || state.State.Sessions.Count == 0 || !ssoOptions.Value.Enabled)
        {
            await StopSsoRecheck();
            return;
        }

        await GrainFactory.GetGrain<ISsoGrain>(0).Recheck(Name, sealedToken);
    }

    public async Task ApplySsoRecheck(SsoRecheck recheck)
    {
        // A re-check of a token replaced since (a new login, a rotation) says nothing of the user now.
        if (state.State.Sso is not { Revoked: false } sso || sso.SealedRefreshToken != recheck.CheckedToken || recheck.Outcome == SsoRecheckOutcome.Unavailable)
        {
            return;
        }

        if (recheck.Outcome == SsoRecheckOutcome.Refused)
        {
            logger.LogInformation("The identity provider no longer lets {User} in: their sessions end", Name);
            sso.Revoked = true;
            sso.SealedRefreshToken = null;
            await state.WriteStateAsync();
            await audit.Append(new AuditEvent(clock.GetUtcNow(), AuditKinds.Sso, SsoOutcomes.Revoked, Name, Detail: recheck.Detail));
            await CloseSessions(CloseReason.CredentialsChanged);
            await StopSsoRecheck();
            return;
        }

        sso.SealedRefreshToken = recheck.SealedRefreshToken ?? sso.SealedRefreshToken;
        if (recheck.Groups is { } groups)
        {
            state.State.Permissions = state.State.Permissions with { Groups = groups };
        }

        await state.WriteStateAsync();
    }

    /// <summary>
    /// Whether <paramref name="grant"/> is the user's single sign-on's, in its time, and unused but
    /// by this connect (<paramref name="connect"/>, its idempotency key), which may be tried again.
    /// A grant that passes is this connect's from then on.
    /// </summary>
    private bool TakeSsoGrant(string grant, string connect, DateTimeOffset now)
    {
        if (state.State.Sso is not { GrantHash: { } hash } sso || sso.GrantExpires <= now || (sso.GrantTakenBy is { } taken && taken != connect)
            || !CryptographicOperations.FixedTimeEquals(hash, SHA256.HashData(Encoding.UTF8.GetBytes(grant))))
        {
            return false;
        }

        sso.GrantTakenBy = connect;
        return true;
    }

    /// <summary>Registers the re-check of a single sign-on user who has a session now, once an activation.</summary>
    private async Task RecheckSsoWhileConnected()
    {
        if (state.State.Sso is not { SealedRefreshToken: not null } || ssoRecheckRegistered)
        {
            return;
        }

        try
        {
            await this.RegisterOrUpdateReminder(SsoRecheck, ssoOptions.Value.RecheckPeriod, ssoOptions.Value.RecheckPeriod);
            ssoRecheckRegistered = true;
        }
        catch (Exception exception) when (exception is ReminderException or OrleansException or TimeoutException)
        {
            // The connect stands; the next connect of this activation registers it.
            logger.LogWarning(exception, "The re-check of {User} with the identity provider could not be registered", Name);
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
}
