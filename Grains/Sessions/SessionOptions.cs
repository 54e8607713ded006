namespace OrleansWg.Grains.Sessions;

public sealed class SessionOptions
{
    public const string Section = "Sessions";

    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// A session whose peer has neither handshaken nor sent anything for this long is idle;
    /// 180 s is WireGuard's reject-after time, after which its keys are dead anyway.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>How long a session waits for a node that is down to come back before closing as node-lost.</summary>
    public TimeSpan NodeLostGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The reminder period: how often a session checks whether it should end.</summary>
    public TimeSpan CheckPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>What the client routes through the tunnel.</summary>
    public string ClientAllowedIps { get; set; } = "0.0.0.0/0, ::/0";
}
