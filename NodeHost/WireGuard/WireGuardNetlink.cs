using System.Diagnostics;
using OrleansWg.NodeHost.Netlink;

namespace OrleansWg.NodeHost.WireGuard;

/// <summary>
/// The kernel's WireGuard, configured over generic netlink as wg(8) does, with no process per
/// change. The kernel finds a device in the namespace of the socket it is asked through, so each
/// call takes a socket opened where the device is (<see cref="NetlinkSocket.OpenIn"/>).
/// </summary>
public sealed class WireGuardNetlink(ushort family)
{
    /// <summary>The kernel's WireGuard; null when the kernel has none (no module).</summary>
    public static WireGuardNetlink? Find()
    {
        using var socket = NetlinkSocket.Open(NetlinkProtocol.Generic);
        return GenericNetlink.FindFamily(socket, "wireguard") is { } family ? new WireGuardNetlink(family) : null;
    }

    public WireGuardDevice Get(NetlinkSocket socket, string interfaceName)
    {
        using var span = Telemetry.Spans.StartActivity("wireguard netlink get", ActivityKind.Client);
        return WireGuardNetlinkFormat.ReadDevice(socket.Exchange(WireGuardNetlinkFormat.Get(family, interfaceName), $"reading {interfaceName}"));
    }

    /// <summary>
    /// Applies the changes, message by message. A refused message leaves those before it applied
    /// (the kernel does not roll back): read the device again before deciding what is left.
    /// </summary>
    public void Set(NetlinkSocket socket, string interfaceName, WireGuardChanges changes)
    {
        using var span = Telemetry.Spans.StartActivity("wireguard netlink set", ActivityKind.Client);
        foreach (var message in WireGuardNetlinkFormat.Set(family, interfaceName, changes))
        {
            socket.Exchange(message, $"configuring {interfaceName}");
        }
    }
}
