using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OrleansWg.Gateway.Metrics;

namespace OrleansWg.Gateway.Http;

/// <summary>
/// Logins per client address: a token bucket of <see cref="GatewayOptions.LoginBurst"/> that
/// refills at <see cref="GatewayOptions.LoginsPerMinute"/>. The lockout guards one user against
/// many guesses; this guards many users against one address.
/// </summary>
public static class LoginRateLimit
{
    public const string Policy = "login";

    public static IServiceCollection AddLoginRateLimit(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.LoginBurst,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1) / options.LoginsPerMinute,
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (rejected, _) =>
            {
                rejected.HttpContext.RequestServices.GetRequiredService<ConnectMetrics>().Count(ConnectMetrics.RateLimited);
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    rejected.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
                }

                await Problems.Of(StatusCodes.Status429TooManyRequests, "too many logins from this address")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
}
