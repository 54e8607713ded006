namespace OrleansWg.Benchmarks;

public static class Production
{
    /// <summary>The tests' one-second heartbeat makes the node re-read Docker five times as often as a real node does.</summary>
    public static Dictionary<string, string> Heartbeat => new() { ["Node__HeartbeatInterval"] = "00:00:05" };
}
