namespace OrleansWg.Grains.Servers;

/// <summary>
/// How many heartbeats a server takes from its node: a token bucket of <paramref name="burst"/>
/// heartbeats that refills at <paramref name="perSecond"/>. A node that floods its server is
/// refused cheaply, before its report is read or anything is written.
/// </summary>
public sealed class HeartbeatBudget(int burst, double perSecond)
{
    private double tokens = burst;
    private DateTimeOffset? refilledAt;

    /// <returns>Whether a heartbeat at <paramref name="now"/> is taken.</returns>
    public bool TryTake(DateTimeOffset now)
    {
        tokens = Math.Min(burst, tokens + Math.Max(0, (now - (refilledAt ?? now)).TotalSeconds) * perSecond);
        refilledAt = now;
        if (tokens < 1)
        {
            return false;
        }

        tokens--;
        return true;
    }
}
