using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace OrleansWg.Gateway.Connect;

/// <summary>
/// A cap on the failed-login work this Gateway hands the cluster. Each wrong password or locked-out
/// address takes one from a token bucket (Gateway:FailedLoginBurst, refilled at
/// Gateway:FailedLoginsPerSecond). While the bucket is empty, a login from an address that has not
/// logged in here lately is answered "busy" before any grain is asked: a flood of guesses from many
/// addresses (each within its own rate limit) then costs the silos a bounded number of grain
/// activations, password checks and audit rows a second, and the users who logged in from their
/// address before still get through.
/// </summary>
public sealed class FailedLoginBudget : IDisposable
{
    // Addresses of successful logins remembered; past it they are forgotten all at once, which costs
    // their users no more than a wait while a flood goes on.
    private const int MaxKnownSources = 100_000;

    private readonly TokenBucketRateLimiter bucket;
    private readonly ConcurrentDictionary<string, byte> knownSources = new();

    public FailedLoginBudget(IOptions<GatewayOptions> options) => bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
    {
        TokenLimit = options.Value.FailedLoginBurst,
        TokensPerPeriod = options.Value.FailedLoginsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    /// <summary>The answer to a login that is not sent to the cluster: a name no user can have, or the budget spent (unless the address is known).</summary>
    /// <returns>null when the login may go to the cluster.</returns>
    public ConnectResult? Refusal(string user, string source) =>
        !Names.IsValid(user) ? ConnectResult.Failed(ConnectStatus.InvalidCredentials, "wrong user name or password")
        : knownSources.ContainsKey(source) || bucket.GetStatistics()?.CurrentAvailablePermits > 0 ? null
        : ConnectResult.Failed(ConnectStatus.Busy, "the service is busy with failed logins; try again shortly", TimeSpan.FromSeconds(1));

    /// <summary>
    /// What a login from <paramref name="source"/> came to: a failed one's work is taken from the
    /// budget; after a successful one, that address goes through while the budget is spent.
    /// </summary>
    public void Record(ConnectStatus status, string source)
    {
        switch (status)
        {
            case ConnectStatus.Connected:
                if (knownSources.Count >= MaxKnownSources)
                {
                    knownSources.Clear();
                }

                knownSources.TryAdd(source, 0);
                break;
            case ConnectStatus.InvalidCredentials or ConnectStatus.LockedOut or ConnectStatus.WrongOtp:
                bucket.AttemptAcquire().Dispose();
                break;
        }
    }

    public void Dispose() => bucket.Dispose();
}
