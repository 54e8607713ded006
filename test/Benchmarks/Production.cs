namespace OrleansWg.Benchmarks;

public static class Production
{
    /// <summary>The tests' one-second heartbeat and reconcile make the node re-read Docker far more often than a real node does.</summary>
    public static Dictionary<string, string> Heartbeat => new() { ["Node__HeartbeatInterval"] = "00:00:05", ["Node__ReconcileInterval"] = "00:00:30" };
}
