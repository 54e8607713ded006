namespace OrleansWg.NodeHost.WireGuard;

/// <summary>
/// Which WireGuard runs the containers' interfaces: the kernel's (one interface per container,
/// configured over netlink, no process) or wireguard-go (a process per container, configured
/// over its UAPI socket).
/// </summary>
public enum WireGuardMode
{
    /// <summary>The kernel's when it has WireGuard and the node may use it, else wireguard-go.</summary>
    Auto,
    Kernel,
    Userspace,
}
