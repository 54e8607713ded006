namespace OrleansWg.NodeHost.Convergence;

/// <summary>
/// Remembers each peer's received-byte count between looks, to say when the peer last sent
/// anything. A peer first seen with bytes already received counts as active now: after a
/// NodeHost restart that errs towards keeping a session one idle period longer.
/// </summary>
public sealed class PeerTraffic(TimeProvider clock)
{
    private readonly Dictionary<(string Interface, string PublicKey), (long Bytes, DateTimeOffset? Since)> seen = [];

    public DateTimeOffset? LastReceive(string interfaceName, string publicKey, long receivedBytes)
    {
        var key = (interfaceName, publicKey);
        var now = clock.GetUtcNow();
        var last = seen.TryGetValue(key, out var previous) && previous.Bytes == receivedBytes
            ? previous.Since
            : receivedBytes > 0 ? now : null;
        seen[key] = (receivedBytes, last);
        return last;
    }

    /// <summary>Forgets the peers of interfaces that are gone, or peers no longer on them.</summary>
    public void KeepOnly(IEnumerable<(string Interface, string PublicKey)> present)
    {
        var keep = present.ToHashSet();
        foreach (var key in seen.Keys.Where(key => !keep.Contains(key)).ToList())
        {
            seen.Remove(key);
        }
    }
}
