using Microsoft.Extensions.Logging;
using OrleansWg.Grains.Sessions;

namespace OrleansWg.Grains.Servers;

/// <summary>The book of peers: each user's container and its sessions' peers, as the server wants them, and the grants that follow the node's confirmation.</summary>
public sealed partial class ServerGrain
{
    // The pushes of sessions' changes under way, by session: AwaitPeer waits for them.
    private readonly Dictionary<Guid, PeerConfirmation> confirmations = [];

    public async Task<PeerResult> RecordPeer(PeerRequest request)
    {
        if (Server.Effective is not { } registration || !IsConnected)
        {
            return PeerResult.Refused(PeerRefusal.NodeNotConnected, "its node is not connected");
        }

        if (agentSilent)
        {
            return PeerResult.Refused(PeerRefusal.NodeSilent, "its node did not answer; it is asked again after its next heartbeat");
        }

        var wanted = new SessionPeer(request.ClientPublicKey, request.Address, request.Limit, clock.GetUtcNow(), request.ExpiresAt);
        if (FindPeer(request.SessionId) is { } existing)
        {
            // A start tried again after a failure may come with another address (the first was given
            // back) or key: the peer becomes what the session asks for now.
            var changed = !existing.Peer.Matches(request);
            if (changed)
            {
                if (await AddressRefusal(registration, existing.Container, request) is { } refusal)
                {
                    return refusal;
                }

                existing.Container.Peers[request.SessionId] = wanted with { AddedAt = existing.Peer.AddedAt };
            }

            return await Confirming(request.SessionId, existing.User, options.Value.NodeCallTimeout, newPeer: false, written: changed);
        }

        if (Server.Draining)
        {
            return PeerResult.Refused(PeerRefusal.Draining, "it is draining");
        }

        if (containers.PeerCount >= registration.Capacity)
        {
            return PeerResult.Refused(PeerRefusal.Full, $"it is full ({registration.Capacity} sessions)");
        }

        var container = containers.Find(request.User);
        var isNewContainer = container is null;
        container ??= new UserContainer();
        if (await AddressRefusal(registration, container, request) is { } refused)
        {
            return refused;
        }

        containers.Set(request.User, container);
        container.Peers[request.SessionId] = wanted;
        container.EmptySince = null;
        return await Confirming(request.SessionId, request.User,
            isNewContainer ? options.Value.ContainerStartTimeout : options.Value.NodeCallTimeout, newPeer: true, written: true);
    }

    public async Task<PeerResult> AwaitPeer(Guid sessionId)
    {
        var (result, refusedNewPeer) = await Confirmed(sessionId);
        if (refusedNewPeer)
        {
            // In a turn of its own: this call waits beside the grain's turns and changes nothing itself.
            await this.AsReference<IServerGrain>().RemovePeer(sessionId);
        }

        return result;
    }

    public async Task<PeerResult> AddPeer(PeerRequest request)
    {
        var recorded = await RecordPeer(request);
        if (!recorded.Pending)
        {
            return recorded;
        }

        var (result, refusedNewPeer) = await Confirmed(request.SessionId);
        if (refusedNewPeer)
        {
            await RemovePeer(request.SessionId);
        }

        return result;
    }

    /// <summary>
    /// Writes the peer's change (when <paramref name="written"/>) while the push to the node begins;
    /// the push and its confirmation go on outside this turn.
    /// </summary>
    private async Task<PeerResult> Confirming(Guid sessionId, string user, TimeSpan timeout, bool newPeer, bool written)
    {
        // Pushed while it is written, and granted once both are done: a peer the node took but the
        // write lost is not in the desired state the node is given next, so its next reconcile removes it.
        var write = written ? containers.WriteAsync(user) : Task.CompletedTask;
        confirmations[sessionId] = new PeerConfirmation(Push(user, timeout), newPeer);
        await write;
        return PeerResult.Recorded;
    }

    /// <summary>Waits for the node to take the session's last change; beside the grain's turns, so it only reads.</summary>
    /// <returns>The peer's grant, or why there is none; and whether the node refused a new peer, which is then removed.</returns>
    private async Task<(PeerResult Result, bool RefusedNewPeer)> Confirmed(Guid sessionId)
    {
        var confirmation = confirmations.GetValueOrDefault(sessionId);
        var failure = confirmation is null ? null : await confirmation.Push;
        Forget(sessionId, confirmation);
        if (FindPeer(sessionId) is not { } found || Server.Effective is not { } registration)
        {
            return (PeerResult.Refused(PeerRefusal.NodeFailed, "the server has no peer of the session"), false);
        }

        if (failure is not null)
        {
            return (PeerResult.Refused(PeerRefusal.NodeFailed, failure), confirmation!.NewPeer);
        }

        await ReportLoad();
        return (Grant(registration, found.User, found.Peer), false);
    }

    public async Task RemovePeer(Guid sessionId)
    {
        if (FindPeer(sessionId) is not { } found)
        {
            return;
        }

        found.Container.Peers.Remove(sessionId);
        if (found.Container.Peers.Count == 0)
        {
            // A container the node never reported running has nothing to linger for.
            if (options.Value.ContainerLinger > TimeSpan.Zero && interfaces.ContainsKey(found.User))
            {
                found.Container.EmptySince = clock.GetUtcNow();
            }
            else
            {
                containers.Remove(found.User);
            }
        }

        var write = containers.WriteAsync(found.User);
        PushChangeOf(sessionId, found.User);
        await write;
        await ReportLoad();
    }

    /// <summary>
    /// Begins the push of a change to a session's peer other than its addition (its removal, its
    /// limit), which the session may wait for with AwaitPeer. Nothing needs its outcome once it is done.
    /// </summary>
    private void PushChangeOf(Guid sessionId, string user)
    {
        confirmations.Remove(sessionId);
        if (IsConnected && !agentSilent)
        {
            var change = confirmations[sessionId] = new PeerConfirmation(Push(user, options.Value.NodeCallTimeout), NewPeer: false);
            _ = change.Push.ContinueWith(_ => Forget(sessionId, change), TaskScheduler.Current);
        }
    }

    /// <summary>Forgets a push that is done, unless a later change of the session has taken its place.</summary>
    private void Forget(Guid sessionId, PeerConfirmation? done)
    {
        if (done is not null && confirmations.GetValueOrDefault(sessionId) == done)
        {
            confirmations.Remove(sessionId);
        }
    }

    public async Task RemoveIdleContainer(string user)
    {
        if (containers.Find(user) is not { Peers.Count: 0 })
        {
            return;
        }

        containers.Remove(user);
        await containers.WriteAsync(user);
        PushWritten($"removing the container of {user}", user);
    }

    public async Task RemoveOrphanPeer(Guid sessionId)
    {
        if (FindPeer(sessionId) is not null && !await IsOwned(sessionId))
        {
            logger.LogInformation("Server {ServerId} removes the peer of session {SessionId}: no live session of its own owns it", Id, sessionId);
            await RemovePeer(sessionId);
        }
    }

    public async Task<BandwidthLimit?> SetPeerLimit(Guid sessionId, BandwidthLimit? userLimit)
    {
        if (FindPeer(sessionId) is not { } found)
        {
            return null;
        }

        if (found.Peer.Limit != userLimit)
        {
            found.Container.Peers[sessionId] = found.Peer with { Limit = userLimit };
            await containers.WriteAsync(found.User);
            PushChangeOf(sessionId, found.User);
        }

        return BandwidthLimit.Of(userLimit, Server.GroupLimit);
    }

    /// <summary>
    /// The session's address must be in the server's pool and no other live peer's in the user's
    /// container. A peer whose session never wrote its start (its silo died half-way) is no session's:
    /// it goes now, as the user may have given its address to this session.
    /// </summary>
    /// <returns>A refusal when the address cannot be used; else null.</returns>
    private async Task<PeerResult?> AddressRefusal(NodeRegistration registration, UserContainer container, PeerRequest request)
    {
        if (new TunnelAddressPool(registration.TunnelPool).Contains(request.Address))
        {
            var other = container.Peers.FirstOrDefault(peer => peer.Key != request.SessionId && peer.Value.Address == request.Address).Key;
            if (other == Guid.Empty)
            {
                return null;
            }

            if (!confirmations.ContainsKey(other) && !await IsOwned(other))
            {
                logger.LogInformation("Server {ServerId} removes the peer of session {SessionId}: no live session owns it, and session {Taker} has its address",
                    Id, other, request.SessionId);
                container.Peers.Remove(other);
                return null;
            }
        }

        return PeerResult.Refused(PeerRefusal.AddressUnusable, $"address {request.Address} is outside its tunnel pool {registration.TunnelPool} or another peer's");
    }

    /// <summary>A new peer whose push the node has yet to answer: not shown to admins, who list sessions by their peers.</summary>
    private bool IsBeingAdded(Guid sessionId) => confirmations.TryGetValue(sessionId, out var confirmation) && confirmation is { NewPeer: true, Push.IsCompleted: false };

    private (string User, UserContainer Container, SessionPeer Peer)? FindPeer(Guid sessionId)
    {
        foreach (var (user, container) in containers.All)
        {
            if (container.Peers.TryGetValue(sessionId, out var peer))
            {
                return (user, container, peer);
            }
        }

        return null;
    }

    private PeerResult Grant(NodeRegistration registration, string user, SessionPeer peer) =>
        interfaces.TryGetValue(user, out var running) && running.ListenPort > 0
            ? PeerResult.Granted(new PeerGrant($"{registration.PublicAddress}:{running.ListenPort}", peer.Address, running.PublicKey,
                BandwidthLimit.Of(peer.Limit, Server.GroupLimit), new TunnelAddressPool(registration.TunnelPool).InterfaceAddress, Server.GroupDns))
            : PeerResult.Refused(PeerRefusal.NodeFailed, "its node did not report the interface of the user's container");

    /// <summary>The push of a session's last change under way (its failure, or null), and whether it added a new peer (which a failure removes).</summary>
    private sealed record PeerConfirmation(Task<string?> Push, bool NewPeer);
}
