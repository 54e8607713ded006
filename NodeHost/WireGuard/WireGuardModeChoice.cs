using OrleansWg.NodeHost.Netlink;

namespace OrleansWg.NodeHost.WireGuard;

/// <summary>Which WireGuard the node runs, decided once at start from its setting and what the kernel offers.</summary>
public static class WireGuardModeChoice
{
    /// <param name="kernelUnusable">Why the kernel's WireGuard cannot be used here; null when it can.</param>
    public static WireGuardMode Choose(WireGuardMode setting, string? kernelUnusable) => setting switch
    {
        WireGuardMode.Userspace => WireGuardMode.Userspace,
        WireGuardMode.Kernel when kernelUnusable is not null =>
            throw new InvalidOperationException($"Node:WireGuard is Kernel, but the kernel's WireGuard cannot be used here: {kernelUnusable}"),
        _ => kernelUnusable is null ? WireGuardMode.Kernel : WireGuardMode.Userspace,
    };

    /// <summary>
    /// Tries what kernel mode needs: the kernel's WireGuard netlink family, making and deleting a
    /// WireGuard link in the node's namespace, and entering a namespace (the node's own, to test the right to).
    /// </summary>
    /// <returns>The kernel's WireGuard, or why it cannot be used.</returns>
    public static (WireGuardNetlink? Netlink, string? Unusable) ProbeKernel()
    {
        try
        {
            if (WireGuardNetlink.Find() is not { } netlink)
            {
                return (null, "the kernel has no WireGuard (its wireguard module is not loaded and could not be)");
            }

            using (var socket = NetlinkSocket.Open(NetlinkProtocol.Route))
            {
                const string probe = "owgprobe";
                if (NetworkLinks.Find(socket, probe) is { } leftOver)
                {
                    NetworkLinks.Delete(socket, leftOver.Index);
                }

                NetworkLinks.Create(socket, probe, "wireguard");
                NetworkLinks.Delete(socket, NetworkLinks.Find(socket, probe)!.Index);
            }

            NetworkNamespace.Run("/proc/self/ns/net", () => 0);
            return (netlink, null);
        }
        catch (NetlinkException refused)
        {
            return (null, refused.Message);
        }
    }
}
