using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace OrleansWg.Grains.Sso;

[StatelessWorker]
public sealed class SsoGrain(IOptions<SsoOptions> options, IServiceProvider services, ILogger<SsoGrain> logger) : Grain, ISsoGrain
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
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or InvalidOperationException)
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

        TokenAnswer answer;
        (string Subject, string? UserName, ImmutableArray<string> Groups)? identity;
        try
        {
            answer = await Client.RedeemDeviceCode(deviceCode);
            identity = answer.IdToken is { } idToken ? await Client.Validate(idToken) : null;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or InvalidOperationException)
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
            case { } error:
                logger.LogInformation("The identity provider refused a device code: {Error} {Description}", error, answer.ErrorDescription);
                return new SsoPoll(SsoStatus.Refused, "the identity provider refused the login");
        }

        if (identity is not { } checkedIdentity)
        {
            return new SsoPoll(SsoStatus.Refused, "the identity provider's ID token did not check out");
        }

        var name = checkedIdentity.UserName?.ToLowerInvariant();
        if (!Names.IsValid(name))
        {
            return new SsoPoll(SsoStatus.Refused, $"the identity provider's {options.Value.UserNameClaim} is not a user name here (1-32 of a-z 0-9 - _)");
        }

        return await GrainFactory.GetGrain<IUserGrain>(name!).SsoLogin(new SsoIdentity($"{options.Value.Issuer}|{checkedIdentity.Subject}",
            options.Value.ServerGroups(checkedIdentity.Groups), answer.RefreshToken, source));
    }
}
