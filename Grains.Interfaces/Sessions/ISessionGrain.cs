namespace OrleansWg;

/// <summary>One VPN session, keyed by a Guid that its user and the connect's idempotency key determine.</summary>
[Alias("owg.ISessionGrain")]
[Version(2)]
public interface ISessionGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Starts the session on the first candidate server that takes it. Started again with the same
    /// user and client key, it answers the same session with a new token (resuming a start that was
    /// cut off); a failed start may be tried again.
    /// </summary>
    [Alias("Start")] Task<ConnectResult> Start(SessionStart start);

    /// <summary>A read that may interleave: a server auditing its peers asks it while the session waits on that server.</summary>
    [Alias("Describe"), AlwaysInterleave] Task<SessionView?> Describe();

    /// <returns>true when <paramref name="token"/> is the token this session was started with.</returns>
    [Alias("Authorize")] Task<bool> Authorize(string token);

    /// <summary>Removes the peer and ends the session; closing a closed session does nothing.</summary>
    [Alias("Close")] Task Close(CloseReason reason);

    /// <summary>
    /// Moves an active session to another server its user may use, with the same client key and
    /// address, and records the move; the old server's peer is removed.
    /// </summary>
    /// <returns>true when it moved; false when no other permitted server took it (it stays where it is).</returns>
    [Alias("Move")] Task<bool> Move(MoveReason reason);

    /// <summary>Takes its user's new bandwidth limit (null: none) to its server, which applies it.</summary>
    [Alias("SetUserLimit")] Task SetUserLimit(BandwidthLimit? limit);

    /// <summary>
    /// Told by its server, which watches its peers in memory, when the session may have to end or
    /// move (idle, past its lifetime, its node down): the session checks now rather than on its
    /// backstop reminder. One-way: the server never waits on its sessions.
    /// </summary>
    [Alias("Check"), OneWay] Task Check();

    /// <summary>Told by its server when the limit its peer has changed; one-way, as the server never waits on its sessions.</summary>
    [Alias("LimitApplied"), OneWay] Task LimitApplied(BandwidthLimit? limit);
}
