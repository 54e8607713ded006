using System.Collections.Concurrent;

namespace OrleansWg.Gateway.Http;

/// <summary>
/// Writes logins refused by the rate limit to the audit log, at most once a minute per address:
/// a flood of them is what the limit is for, and must not become a flood of database writes.
/// </summary>
public sealed class RateLimitedLoginAudit(IGrainFactory grains, TimeProvider clock, ILogger<RateLimitedLoginAudit> logger)
{
    private const int MaxAddresses = 10_000;
    private static readonly TimeSpan Once = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> lastWritten = new();

    public async Task Record(string source)
    {
        var now = clock.GetUtcNow();
        if (lastWritten.TryGetValue(source, out var last) && now - last < Once)
        {
            return;
        }

        if (lastWritten.Count >= MaxAddresses)
        {
            lastWritten.Clear();
        }

        lastWritten[source] = now;
        try
        {
            await grains.GetGrain<IAuditGrain>(0).Append(new AuditEvent(now, AuditKinds.Login, LoginOutcomes.RateLimited, Source: source,
                Detail: "refused before its password was read; more from this address within a minute are not written"));
        }
        catch (Exception exception)
        {
            // The refusal stands whatever became of its record.
            logger.LogWarning(exception, "A rate-limited login from {Source} could not be written to the audit log", source);
        }
    }
}
