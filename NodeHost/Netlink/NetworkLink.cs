namespace OrleansWg.NodeHost.Netlink;

/// <summary>A network interface as the kernel describes it.</summary>
/// <param name="Kind">What made it ("wireguard", "veth"); null for a physical one.</param>
public sealed record NetworkLink(int Index, string Name, string? Kind, bool IsUp);
