namespace OrleansWg.Grains.Sessions;

public sealed class SessionOptions
{
    public const string Section = "Sessions";

    [Positive]
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// A session whose peer has neither handshaken nor sent anything for this long is idle;
    /// 180 s is WireGuard's reject-after time, after which its keys are dead anyway.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>How long a session waits for a node that is down to come back before closing as node-lost.</summary>
    public TimeSpan NodeLostGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often each server looks at its peers (in memory) and tells the sessions that should end
    /// or move to check; also when a new session first checks itself, which ends a start cut off half-way.
    /// </summary>
    [Positive]
    public TimeSpan CheckPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The period of each session's own reminder after its first check: the backstop for a server
    /// that could not tell it (a silo died, its server grain is gone). A check writes only what changed.
    /// </summary>
    public TimeSpan BackstopPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long an ended session is kept, for its client and admins to read why it ended; then its
    /// state is deleted. Its history stays in the audit log (connect, moves, close).
    /// </summary>
    public TimeSpan ClosedRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>What the client routes through the tunnel.</summary>
    public string ClientAllowedIps { get; set; } = "0.0.0.0/0, ::/0";
}
