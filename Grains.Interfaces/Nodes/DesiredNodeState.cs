namespace OrleansWg;

/// <summary>Everything a node should run: exactly these containers with exactly these peers.</summary>
[GenerateSerializer, Immutable, Alias("owg.DesiredNodeState")]
public sealed record DesiredNodeState(string ServerId, ImmutableArray<DesiredContainer> Containers);

/// <param name="InterfaceAddress">The container's tunnel address with its subnet, e.g. 100.64.3.1/24.</param>
[GenerateSerializer, Immutable, Alias("owg.DesiredContainer")]
public sealed record DesiredContainer(
    string User,
    int ListenPort,
    string InterfaceAddress,
    ImmutableArray<DesiredPeer> Peers);

/// <param name="AllowedIp">The peer's tunnel address as a /32.</param>
[GenerateSerializer, Immutable, Alias("owg.DesiredPeer")]
public sealed record DesiredPeer(string PublicKey, string AllowedIp);
