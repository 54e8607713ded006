namespace OrleansWg.NodeHost.Netlink;

/// <summary>The netlink protocols the node speaks: links and addresses, and generic netlink (WireGuard's).</summary>
public enum NetlinkProtocol
{
    Route = 0,
    Generic = 16,
}
