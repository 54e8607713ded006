using OrleansWg.NodeHost.WireGuard;

namespace OrleansWg.NodeHost.Docker;

/// <summary>What a node's containers are made of, for the host limits they need.</summary>
/// <param name="Containers">The most containers the node runs at once (<see cref="HostLimits.Containers"/>).</param>
/// <param name="Mode">Whose WireGuard they run: a wireguard-go in each, or the kernel's.</param>
/// <param name="CgroupV2">Whether the host runs cgroup v2 (<see cref="HostLimits.HostHasCgroupV2"/>).</param>
public sealed record ContainerLoad(int Containers, WireGuardMode Mode, bool CgroupV2)
{
    /// <summary>wireguard-go takes one; on cgroup v2 the containerd shim takes one.</summary>
    public int InotifyInstancesEach => (Mode == WireGuardMode.Userspace ? 1 : 0) + (CgroupV2 ? 1 : 0);
}
