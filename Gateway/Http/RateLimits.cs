using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OrleansWg.Gateway.Metrics;

namespace OrleansWg.Gateway.Http;

/// <summary>
/// Token buckets per client source. Logins: the lockout guards one user against many guesses, this
/// guards many users against one address. Session lookups: each one reaches a grain, so guessing
/// session ids and tokens is slowed down even though a wrong token never gets that far.
/// </summary>
public static class RateLimits
{
    public const string Login = "login";

    /// <summary>Tries of the bootstrap secret: as many as logins, in a bucket of their own.</summary>
    public const string Bootstrap = "bootstrap";
    public const string SessionLookup = "session-lookup";

    /// <summary>Nodes' enrollments: a join token is guessed no faster than a password.</summary>
    public const string Enroll = "enroll";

    public static IServiceCollection AddRateLimits(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            void AddBucket(string policy, Func<GatewayOptions, (int Burst, int PerMinute)> limits) => limiter.AddPolicy(policy, context =>
            {
                var (burst, perMinute) = limits(Options(context));
                return Bucket(context, policy, burst, perMinute);
            });

            AddBucket(Login, options => (options.LoginBurst, options.LoginsPerMinute));
            AddBucket(Bootstrap, options => (options.LoginBurst, options.LoginsPerMinute));
            AddBucket(Enroll, options => (options.LoginBurst, options.LoginsPerMinute));
            AddBucket(SessionLookup, options => (options.SessionLookupBurst, options.SessionLookupsPerMinute));
            limiter.OnRejected = async (rejected, _) =>
            {
                var context = rejected.HttpContext;
                var isLogin = context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == Login;
                if (isLogin)
                {
                    context.RequestServices.GetRequiredService<ConnectMetrics>().Count(ConnectMetrics.RateLimited);
                    await context.RequestServices.GetRequiredService<RateLimitedLoginAudit>().Record(ClientSource.Of(context));
                }

                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
                }

                await Problems.Of(StatusCodes.Status429TooManyRequests, isLogin ? "too many logins from this address" : "too many requests from this address")
                    .ExecuteAsync(context);
            };
        });

    private static GatewayOptions Options(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value;

    private static RateLimitPartition<string> Bucket(HttpContext context, string policy, int burst, int perMinute) =>
        RateLimitPartition.GetTokenBucketLimiter($"{policy} {ClientSource.Of(context)}", _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
            QueueLimit = 0,
        });
}
