namespace OrleansWg;

/// <summary>One VPN node, keyed by its server id. Owns the node's desired state.</summary>
[Alias("owg.IServerGrain")]
[Version(2)]
public interface IServerGrain : IGrainWithStringKey
{
    /// <summary>Called by the node at start and on every heartbeat; refused (<see cref="ServerNotEnrolledException"/>) until an admin has made the server.</summary>
    /// <param name="registration">What the node says of itself: its ports and tunnel pool apply; its group, capacity and address do not, as the admin's do.</param>
    /// <param name="actual">What the node ran after its last convergence; null before its first. Only the containers and peers the server wants are taken.</param>
    /// <returns>The desired state the node converges to.</returns>
    [Alias("Register")] Task<DesiredNodeState> Register(NodeRegistration registration, INodeAgent agent, NodeActualState? actual);

    /// <summary>
    /// Sent by the node every <c>Node:AliveInterval</c>, beside its heartbeats: the server counts its
    /// node alive by these, recorded as they arrive even while it waits on a container start.
    /// </summary>
    [Alias("NodeAlive"), AlwaysInterleave, OneWay] Task NodeAlive();

    /// <summary>
    /// Called by a node that is stopping (a restart, an upgrade): the server forgets that agent and
    /// takes no new session until a node registers again; its sessions stay, as their containers run on.
    /// </summary>
    [Alias("Leave")] Task Leave(INodeAgent agent);

    /// <summary>
    /// Records a session's peer in the server's desired state, in the server's turn, and starts
    /// pushing it to the node; asking twice for the same session records the same peer.
    /// </summary>
    /// <returns><see cref="PeerResult.Recorded"/>: <see cref="AwaitPeer"/> gives the grant; else the refusal.</returns>
    [Alias("RecordPeer")] Task<PeerResult> RecordPeer(PeerRequest request);

    /// <summary>
    /// Waits for the node to take the last change to the session's peer (its addition by
    /// <see cref="RecordPeer"/>, its removal, its limit): the peer's grant, or why there is none, a
    /// new peer the node refused being removed again. Waits beside the server's turns, so a container
    /// start holds up no heartbeat, view, session check or admin call.
    /// </summary>
    [Alias("AwaitPeer"), AlwaysInterleave] Task<PeerResult> AwaitPeer(Guid sessionId);

    /// <summary>
    /// Returns once the node has answered (or failed to answer in time) every push the server began
    /// before this call: for a caller whose change must hold on the node when it returns, such as a
    /// group's new limit. Waits beside the server's turns.
    /// </summary>
    [Alias("AwaitNode"), AlwaysInterleave] Task AwaitNode();

    /// <summary>
    /// <see cref="RecordPeer"/> and <see cref="AwaitPeer"/> in one turn, for the session grains of
    /// version 1 while a rolling upgrade runs; it goes a release later.
    /// </summary>
    [Alias("AddPeer")] Task<PeerResult> AddPeer(PeerRequest request);

    /// <summary>Removes a session's peer, and the user's container with their last peer. Idempotent.</summary>
    [Alias("RemovePeer")] Task RemovePeer(Guid sessionId);

    /// <summary>Removes the user's container at once if it has no peers: a deleted user's does not linger. Idempotent.</summary>
    [Alias("RemoveIdleContainer")] Task RemoveIdleContainer(string user);

    /// <summary>Removes a session's peer if the session, asked again in this grain's own turn, still does not own it. For the server's audit.</summary>
    [Alias("RemoveOrphanPeer")] Task RemoveOrphanPeer(Guid sessionId);

    /// <summary>In turn: the admin console lists sessions by these peers, and a peer still being added must not show.</summary>
    [Alias("Describe")] Task<ServerView?> Describe();

    /// <summary>Gives a session's peer its user's new limit and begins its push to the node, which <see cref="AwaitPeer"/> waits for.</summary>
    /// <returns>The limit the peer now has (the user's, else the group's); null: none, or no such peer.</returns>
    [Alias("SetPeerLimit")] Task<BandwidthLimit?> SetPeerLimit(Guid sessionId, BandwidthLimit? userLimit);

    /// <summary>
    /// Reads its group's limit and DNS policy again and applies them: told by the group when either
    /// changes, and when it joins a group.
    /// </summary>
    [Alias("RefreshGroupLimit")] Task RefreshGroup();

    /// <summary>
    /// The DNS policy of the server's group, whole: what its node's resolver applies when the desired
    /// state names a policy it has not applied. A read that may interleave: the node asks it while
    /// the server may be waiting on the node.
    /// </summary>
    [Alias("GetDnsPolicy"), AlwaysInterleave] Task<GroupDns> GetDnsPolicy();

    /// <summary>
    /// What a session needs to know on its check: its peer's last activity, and whether the node is
    /// down. In turn: the node's heartbeats queued before it are heard first, so a node only slow to
    /// be heard is not judged down and its sessions moved.
    /// </summary>
    [Alias("GetPeerStatus")] Task<PeerStatus> GetPeerStatus(Guid sessionId);

    /// <summary>A draining server takes no new sessions; its sessions live out their time.</summary>
    /// <returns>false when there is no such server.</returns>
    [Alias("SetDraining")] Task<bool> SetDraining(bool draining);

    /// <summary>A new join token for the server's node, in place of any pending one.</summary>
    /// <returns>null when there is no such server.</returns>
    [Alias("IssueJoinToken")] Task<JoinToken?> IssueJoinToken(TimeSpan? lifetime);

    /// <summary>
    /// A node that holds the server's join token gets a certificate for the public key of its request
    /// and a credential; the token is used up. From the Gateway, for a node that has no identity yet.
    /// </summary>
    [Alias("Enroll")] Task<NodeEnrollment> Enroll(string joinToken, string certificateRequestPem);

    /// <summary>The server's node, while its certificate still admits it, gets a new one for a new key.</summary>
    [Alias("RenewCertificate")] Task<NodeEnrollment> RenewCertificate(string certificateRequestPem);

    /// <summary>
    /// No certificate issued so far admits the node any more: each of its calls is refused from
    /// now on, on every silo, and it takes no new sessions. Moving its sessions is the caller's.
    /// </summary>
    /// <returns>false when there is no such server.</returns>
    [Alias("Revoke")] Task<bool> Revoke();

    /// <summary>Makes the server, or changes what an admin says of it: its group, capacity and public address, which placement goes by.</summary>
    [Alias("ConfigureServer")] Task<ServerConfigured> Configure(ServerSettings settings);
}
