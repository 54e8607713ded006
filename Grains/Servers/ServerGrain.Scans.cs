using Microsoft.Extensions.Logging;
using OrleansWg.Grains.Sessions;

namespace OrleansWg.Grains.Servers;

/// <summary>The server's periodic work: sessions told to check, lingering containers removed, and peers no live session owns removed.</summary>
public sealed partial class ServerGrain
{
    /// <summary>
    /// Tells the sessions that should end or move to check now: idle by what the node reported, or
    /// past their lifetime; while the node is down, every one, a few a second (the move begun when it
    /// went down, again for those that could not move then). In memory, so a server's sessions cost no
    /// write and no message while they are in use; each session's own reminder is the backstop.
    /// </summary>
    private async Task ScanSessions(CancellationToken cancellationToken)
    {
        if (liveness.IsDown)
        {
            MoveSessionsAway();
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var (sessionId, peer) in containers.All.SelectMany(container => container.Value.Peers))
        {
            var activity = reported.GetValueOrDefault(peer.PublicKey)?.LastActivity;
            if (PeerScan.NeedsCheck(peer, activity, reportedAt is not null, now, sessionOptions.Value.IdleTimeout))
            {
                await GrainFactory.GetGrain<ISessionGrain>(sessionId).Check();
            }
        }
    }

    /// <summary>Removes the containers whose users have had no session here for Placement:ContainerLinger.</summary>
    private async Task RemoveLingeredContainers(CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow() - options.Value.ContainerLinger;
        var lingered = containers.All.Where(c => c.Value.Peers.Count == 0 && !(c.Value.EmptySince > until)).Select(c => c.Key).ToList();
        if (lingered.Count == 0)
        {
            return;
        }

        foreach (var user in lingered)
        {
            containers.Remove(user);
        }

        await containers.WriteAsync(lingered);
        logger.LogInformation("Server {ServerId} removes the lingering containers of {Users}", Id, string.Join(", ", lingered));
        PushWritten("removing lingering containers");
    }

    /// <summary>
    /// Removes peers that no live session of this server owns: a session that ended, that never
    /// started, or that is active elsewhere (a peer made by a call whose answer was lost).
    /// </summary>
    private async Task AuditPeers(CancellationToken cancellationToken)
    {
        var sessionIds = containers.All.SelectMany(c => c.Value.Peers.Keys).ToList();
        var owned = await Task.WhenAll(sessionIds.Select(IsOwned));
        var self = this.AsReference<IServerGrain>();
        foreach (var sessionId in sessionIds.Where((_, index) => !owned[index]))
        {
            // Asked again in the grain's own turn: the session may have started again since.
            await self.RemoveOrphanPeer(sessionId);
        }
    }

    /// <returns>false only when the session says the peer is not its own; a session that does not answer in time keeps it until the next audit.</returns>
    private async Task<bool> IsOwned(Guid sessionId)
    {
        try
        {
            var session = await GrainFactory.GetGrain<ISessionGrain>(sessionId).Describe().WaitAsync(options.Value.NodeCallTimeout);
            return PeerOwnership.IsOwned(session, Id);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Server {ServerId} could not ask session {SessionId} about its peer; the next audit asks again", Id, sessionId);
            return true;
        }
    }
}
