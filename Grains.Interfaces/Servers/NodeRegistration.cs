namespace OrleansWg;

/// <summary>What a node says of itself when it registers.</summary>
/// <param name="PublicAddress">The address clients reach the node's UDP ports on.</param>
/// <param name="Capacity">The most sessions the node takes.</param>
/// <param name="TunnelPool">
/// An IPv4 CIDR (prefix length 8 to 24). Each user's peers get addresses from a /24 of their own
/// cut from it; every container's interface has the pool's first address with the pool's prefix.
/// </param>
/// <param name="WireGuard">Which WireGuard runs its containers' interfaces: "kernel" or "userspace"; null from a node of 0.2 or older, which runs wireguard-go.</param>
[GenerateSerializer, Immutable, Alias("owg.NodeRegistration")]
public sealed record NodeRegistration(
    string PublicAddress,
    int Capacity,
    int PortMin,
    int PortMax,
    string TunnelPool,
    string Group,
    string? WireGuard = null);
