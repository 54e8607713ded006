namespace OrleansWg.Grains.Servers;

/// <summary>Which of a server's peers its session should check now, decided in memory from what the node reported.</summary>
public static class PeerScan
{
    /// <param name="lastActivity">The peer's last handshake or received traffic as the node reported it; null: none.</param>
    /// <param name="reported">The node has reported since the server became active, so a null activity means none.</param>
    public static bool NeedsCheck(SessionPeer peer, DateTimeOffset? lastActivity, bool reported, DateTimeOffset now, TimeSpan idleTimeout) =>
        now >= peer.ExpiresAt
        || (reported && (lastActivity ?? peer.AddedAt) is { } since && now - since >= idleTimeout);
}
