namespace OrleansWg;

/// <summary>What a node runs after converging.</summary>
/// <param name="Failures">
/// Users whose container could not be converged: one user's broken container fails only that
/// user, and the server keeps what it last knew of it.
/// </param>
[GenerateSerializer, Immutable, Alias("owg.NodeActualState")]
public sealed record NodeActualState(ImmutableArray<ActualContainer> Containers, ImmutableArray<ContainerFailure> Failures)
{
    public NodeActualState(ImmutableArray<ActualContainer> containers)
        : this(containers, [])
    {
    }

    /// <summary>What this says of one user's container.</summary>
    public NodeActualState Of(string user) => new([.. Containers.Where(c => c.User == user)], [.. Failures.Where(f => f.User == user)]);
}

/// <param name="ListenPort">The host UDP port the node published the interface on.</param>
/// <param name="PublicKey">The interface's public key; its private key never leaves the node.</param>
[GenerateSerializer, Immutable, Alias("owg.ActualContainer")]
public sealed record ActualContainer(string User, int ListenPort, string PublicKey, ImmutableArray<ActualPeer> Peers);

/// <param name="Detail">What went wrong, for admins and logs; the node logged the whole exception.</param>
[GenerateSerializer, Immutable, Alias("owg.ContainerFailure")]
public sealed record ContainerFailure(string User, string Detail);

/// <param name="LastHandshake">null when the peer has not completed a handshake.</param>
/// <param name="LastReceive">
/// When the node last saw the peer's received bytes grow (it looks on every heartbeat); null
/// when the peer has sent nothing. A handshake is renewed only every two minutes or so, so
/// traffic is what tells a quiet client from a busy one within that time.
/// </param>
/// <param name="ReceivedBytes">Bytes the interface received from the peer since the peer was added; <paramref name="SentBytes"/> likewise.</param>
[GenerateSerializer, Immutable, Alias("owg.ActualPeer")]
public sealed record ActualPeer(string PublicKey, DateTimeOffset? LastHandshake, DateTimeOffset? LastReceive, long ReceivedBytes = 0, long SentBytes = 0)
{
    public DateTimeOffset? LastActivity => (LastHandshake, LastReceive) switch
    {
        (null, var receive) => receive,
        (var handshake, null) => handshake,
        (var handshake, var receive) => handshake > receive ? handshake : receive,
    };
}
