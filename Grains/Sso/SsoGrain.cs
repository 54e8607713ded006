using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using OrleansWg.Grains.Users;

namespace OrleansWg.Grains.Sso;

/// <summary>The cluster's side of single sign-on: every call to the provider is made here, outside any user grain's turn.</summary>
[StatelessWorker]
public sealed class SsoGrain(IOptions<SsoOptions> options, UserSecrets secrets, IServiceProvider services, ILogger<SsoGrain> logger) : Grain, ISsoGrain
{
    private const string NotConfigured = "single sign-on is not set up on this cluster (Sso:Issuer)";

    // Made only when single sign-on is set up: without an issuer there is no provider to ask.
    private OidcClient Client => services.GetRequiredService<OidcClient>();

    public async Task<DeviceLogin> BeginDeviceLogin()
    {
        if (!options.Value.Enabled)
        {
            return new DeviceLogin(SsoStatus.NotConfigured, NotConfigured, null, null, null, null, default, default);
        }

        try
        {
            return await Client.BeginDeviceLogin();
        }
        catch (Exception exception) when (IsOutage(exception))
        {
            logger.LogWarning(exception, "The identity provider did not answer a device login");
            return new DeviceLogin(SsoStatus.Unavailable, "the identity provider did not answer", null, null, null, null, default, default);
        }
    }

    public async Task<SsoPoll> PollDeviceLogin(string deviceCode, string source)
    {
        if (!options.Value.Enabled)
        {
            return new SsoPoll(SsoStatus.NotConfigured, NotConfigured);
        }

        ProviderAnswer answer;
        try
        {
            answer = await Client.RedeemDeviceCode(deviceCode);
        }
        catch (Exception exception) when (IsOutage(exception))
        {
            logger.LogWarning(exception, "The identity provider did not answer a poll");
            return new SsoPoll(SsoStatus.Unavailable, "the identity provider did not answer", RetryAfter: TimeSpan.FromSeconds(5));
        }

        switch (answer.Error)
        {
            case "authorization_pending":
                return new SsoPoll(SsoStatus.Pending, "the user has not logged in yet");
            case "slow_down":
                return new SsoPoll(SsoStatus.SlowDown, "asked too often: wait longer between polls", RetryAfter: TimeSpan.FromSeconds(5));
            case "access_denied":
                return new SsoPoll(SsoStatus.Denied, "the user did not allow the login");
            case "expired_token":
                return new SsoPoll(SsoStatus.Expired, "the login's time ran out: begin again");
            case ProviderAnswer.IdTokenRefused:
                return new SsoPoll(SsoStatus.Refused, "the identity provider's ID token did not check out");
            case { } error:
                logger.LogInformation("The identity provider refused a device code: {Error}", error);
                return new SsoPoll(SsoStatus.Refused, "the identity provider refused the login");
        }

        var identity = answer.Identity!;
        var name = identity.UserName?.ToLowerInvariant();
        if (!Names.IsValid(name))
        {
            return new SsoPoll(SsoStatus.Refused, $"the identity provider's {options.Value.UserNameClaim} is not a user name here (1-32 of a-z 0-9 - _)");
        }

        return await GrainFactory.GetGrain<IUserGrain>(name!).SsoLogin(new SsoIdentity(identity.Subject, options.Value.ServerGroups(identity.Groups), answer.RefreshToken, source));
    }

    public async Task Recheck(string user, string sealedRefreshToken)
    {
        SsoRecheck recheck;
        try
        {
            var answer = await Client.Refresh(secrets.Open(user, sealedRefreshToken));
            recheck = answer.Error switch
            {
                null => new SsoRecheck(sealedRefreshToken, SsoRecheckOutcome.Allowed, answer.RefreshToken is { } rotated ? secrets.Seal(user, rotated) : null,
                    answer.Identity is { } identity ? options.Value.ServerGroups(identity.Groups) : null),
                // Only a refused grant says the user is stopped; any other error (a changed client secret, say) is the cluster's to mend.
                "invalid_grant" => new SsoRecheck(sealedRefreshToken, SsoRecheckOutcome.Refused, Detail: "invalid_grant"),
                { } error => Unanswered(error),
            };
        }
        catch (Exception exception) when (IsOutage(exception))
        {
            recheck = Unanswered(exception.Message);
        }

        await GrainFactory.GetGrain<IUserGrain>(user).ApplySsoRecheck(recheck);

        SsoRecheck Unanswered(string why)
        {
            logger.LogWarning("The re-check of {User} with the identity provider failed ({Why}); it is tried again at the next period", user, why);
            return new SsoRecheck(sealedRefreshToken, SsoRecheckOutcome.Unavailable, Detail: why);
        }
    }

    private static bool IsOutage(Exception exception) => exception is HttpRequestException or TaskCanceledException or InvalidOperationException;
}
