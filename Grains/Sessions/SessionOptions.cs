namespace OrleansWg.Grains.Sessions;

public sealed class SessionOptions
{
    public const string Section = "Sessions";

    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The reminder period: how often a session checks whether it should end.</summary>
    public TimeSpan CheckPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>What the client routes through the tunnel.</summary>
    public string ClientAllowedIps { get; set; } = "0.0.0.0/0";
}
