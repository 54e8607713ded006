namespace OrleansWg;

/// <summary>
/// A node sent heartbeats faster than its server takes them (<c>Placement__HeartbeatsPerSecond</c>,
/// after a burst of <c>Placement__HeartbeatBurst</c>): this one is refused before any work is done.
/// </summary>
[GenerateSerializer, Alias("owg.HeartbeatsTooFrequentException")]
public sealed class HeartbeatsTooFrequentException : Exception
{
    public HeartbeatsTooFrequentException(string message)
        : base(message)
    {
    }
}
