namespace OrleansWg.Grains.Servers;

/// <summary>Whether a server's peer still belongs to a session of that server, from what the session says.</summary>
public static class PeerOwnership
{
    /// <returns>false when the peer can go: its session never started, has ended, or is active on another server.</returns>
    public static bool IsOwned(SessionView? session, string serverId) => session switch
    {
        null or { Status: SessionStatus.Closed or SessionStatus.Failed } => false,
        { Status: SessionStatus.Active } => session.ServerId == serverId,
        // Starting or closing: the session itself adds or removes its peers.
        _ => true,
    };
}
