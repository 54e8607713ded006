namespace OrleansWg.Grains.Servers;

/// <summary>A server's registration and its desired state: which containers with which peers.</summary>
[GenerateSerializer, Alias("owg.ServerState")]
public sealed record ServerState
{
    [Id(0)] public NodeRegistration? Registration { get; set; }

    [Id(1)] public bool Draining { get; set; }

    /// <summary>One container per user, by user name.</summary>
    [Id(2)] public Dictionary<string, UserContainer> Containers { get; set; } = [];

    public int PeerCount => Containers.Values.Sum(container => container.Peers.Count);
}

[GenerateSerializer, Alias("owg.UserContainer")]
public sealed record UserContainer
{
    /// <summary>The UDP port the node published the container's interface on, once reported.</summary>
    [Id(0)] public int ListenPort { get; set; }

    /// <summary>Which /24 of the tunnel pool the user's container has.</summary>
    [Id(1)] public int Subnet { get; set; }

    /// <summary>The interface's public key, once the node has reported it.</summary>
    [Id(2)] public string? PublicKey { get; set; }

    [Id(3)] public Dictionary<Guid, SessionPeer> Peers { get; set; } = [];
}

[GenerateSerializer, Immutable, Alias("owg.SessionPeer")]
public sealed record SessionPeer(string PublicKey, string Address);
