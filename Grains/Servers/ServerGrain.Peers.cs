using Microsoft.Extensions.Logging;
using OrleansWg.Grains.Sessions;

namespace OrleansWg.Grains.Servers;

/// <summary>The book of peers: each user's container and its sessions' peers, as the server wants them, and the grants that follow the node's confirmation.</summary>
public sealed partial class ServerGrain
{
    public async Task<PeerResult> AddPeer(PeerRequest request)
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
            var peer = existing.Peer;
            if (!peer.Matches(request))
            {
                if (AddressRefusal(registration, existing.Container, request) is { } refusal)
                {
                    return refusal;
                }

                peer = existing.Container.Peers[request.SessionId] = wanted with { AddedAt = peer.AddedAt };
                await containers.WriteAsync(existing.User);
            }

            return await Converge(existing.User, options.Value.NodeCallTimeout) is { } nodeFailure
                ? PeerResult.Refused(PeerRefusal.NodeFailed, nodeFailure)
                : Grant(registration, existing.User, peer);
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
        if (AddressRefusal(registration, container, request) is { } refused)
        {
            return refused;
        }

        containers.Set(request.User, container);
        container.Peers[request.SessionId] = wanted;
        container.EmptySince = null;
        // Written while it is pushed, and granted once both are done: a peer the node took but the
        // write lost is not in the desired state the node is given next, so its next reconcile removes it.
        var written = containers.WriteAsync(request.User);
        var failure = await Converge(request.User, isNewContainer ? options.Value.ContainerStartTimeout : options.Value.NodeCallTimeout);
        await written;
        if (failure is not null)
        {
            container.Peers.Remove(request.SessionId);
            if (isNewContainer)
            {
                containers.Remove(request.User);
            }
            else if (container.Peers.Count == 0)
            {
                container.EmptySince = clock.GetUtcNow();
            }

            await containers.WriteAsync(request.User);
            return PeerResult.Refused(PeerRefusal.NodeFailed, failure);
        }

        await ReportLoad();
        return Grant(registration, request.User, wanted);
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
            if (options.Value.ContainerLinger > TimeSpan.Zero)
            {
                found.Container.EmptySince = clock.GetUtcNow();
            }
            else
            {
                containers.Remove(found.User);
            }
        }

        await containers.WriteAsync(found.User);
        await ReportLoad();
        await PushWritten($"removing session {sessionId}", found.User);
    }

    public async Task RemoveIdleContainer(string user)
    {
        if (containers.Find(user) is not { Peers.Count: 0 })
        {
            return;
        }

        containers.Remove(user);
        await containers.WriteAsync(user);
        await PushWritten($"removing the container of {user}", user);
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
            await PushWritten($"the limit of session {sessionId}", found.User);
        }

        return BandwidthLimit.Of(userLimit, Server.GroupLimit);
    }

    /// <returns>A refusal when the session's address is outside the pool or another peer's in the user's container; else null.</returns>
    private static PeerResult? AddressRefusal(NodeRegistration registration, UserContainer container, PeerRequest request) =>
        new TunnelAddressPool(registration.TunnelPool).Contains(request.Address)
        && !container.Peers.Any(peer => peer.Key != request.SessionId && peer.Value.Address == request.Address)
            ? null
            : PeerResult.Refused(PeerRefusal.AddressUnusable, $"address {request.Address} is outside its tunnel pool {registration.TunnelPool} or another peer's");

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
}
