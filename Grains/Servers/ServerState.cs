namespace OrleansWg.Grains.Servers;

/// <summary>A server's registration and settings; the containers it wants, with their peers, are in <see cref="ContainerShards"/>.</summary>
[GenerateSerializer, Alias("owg.ServerState")]
public sealed record ServerState
{
    [Id(0)] public NodeRegistration? Registration { get; set; }

    [Id(1)] public bool Draining { get; set; }

    /// <summary>The users' containers as versions before <see cref="ContainerShards"/> kept them: moved into the shards at activation.</summary>
    [Id(2)] public Dictionary<string, UserContainer>? ContainersBeforeShards { get; set; }

    /// <summary>The admin's group for the server (placement's, not the node's).</summary>
    [Id(3)] public string? Group { get; set; }

    /// <summary>The admin's capacity for the server.</summary>
    [Id(4)] public int? Capacity { get; set; }

    /// <summary>One more with every change of the server's own to the desired state; with <see cref="ContainerShards.Revision"/>, the desired state's revision.</summary>
    [Id(5)] public long Revision { get; set; }

    /// <summary>
    /// The node's agent as it last handed it over. Kept so that an activation that follows a silo's
    /// death pushes to the node at once instead of waiting for its next heartbeat.
    /// </summary>
    [Id(6)] public INodeAgent? Agent { get; set; }

    /// <summary>
    /// The bandwidth limit of the server's group, as the group last told it (or as read when the
    /// server joined the group): kept here so that no activation or heartbeat waits on the group.
    /// </summary>
    [Id(7)] public BandwidthLimit? GroupLimit { get; set; }

    /// <summary>What sessions need of the group's DNS policy, as the group last told it; kept here for the same reason as <see cref="GroupLimit"/>.</summary>
    [Id(8)] public SessionDns? GroupDns { get; set; }

    /// <summary>The admin's public address for the server: what clients are sent to.</summary>
    [Id(9)] public string? PublicAddress { get; set; }

    /// <summary>Whether an admin has made the server; a node may register only then.</summary>
    [Id(10)] public bool Enrolled { get; set; }

    /// <summary>Which node may act as the server: its join token and its certificates.</summary>
    [Id(11)] public NodeCertificates Certificates { get; set; } = new();

    /// <summary>The epoch of the latest activation (see <see cref="DesiredNodeState.Epoch"/>).</summary>
    [Id(12)] public long Epoch { get; set; }

    /// <summary>The registration as it applies: the node's ports and tunnel pool, with the admin's group, capacity and address.</summary>
    public NodeRegistration? Effective => Registration is { } registration && Enrolled
        ? registration with { Group = Group ?? ServerPermissions.GenericGroup, Capacity = Capacity ?? 0, PublicAddress = PublicAddress ?? registration.PublicAddress }
        : null;
}

[GenerateSerializer, Alias("owg.UserContainer")]
public sealed record UserContainer
{
    [Id(3)] public Dictionary<Guid, SessionPeer> Peers { get; set; } = [];

    /// <summary>When its last peer was removed: it lingers, without peers, for Placement:ContainerLinger.</summary>
    [Id(4)] public DateTimeOffset? EmptySince { get; set; }
}

/// <param name="Limit">The user's own bandwidth limit, as the session last gave it.</param>
/// <param name="AddedAt">When the peer was added: a peer that has never been active is idle counting from then.</param>
/// <param name="ExpiresAt">The end of its session's lifetime.</param>
[GenerateSerializer, Immutable, Alias("owg.SessionPeer")]
public sealed record SessionPeer(
    string PublicKey, string Address, BandwidthLimit? Limit = null, DateTimeOffset? AddedAt = null, DateTimeOffset? ExpiresAt = null)
{
    /// <summary>Whether the peer is what <paramref name="request"/> asks for (when it was added aside).</summary>
    public bool Matches(PeerRequest request) =>
        PublicKey == request.ClientPublicKey && Address == request.Address && Limit == request.Limit && ExpiresAt == request.ExpiresAt;
}
