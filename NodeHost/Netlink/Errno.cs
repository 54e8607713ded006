namespace OrleansWg.NodeHost.Netlink;

/// <summary>The Linux error numbers netlink answers that the node acts on (a netlink error is one negated).</summary>
public enum Errno
{
    NoSuchEntry = 2,
    Interrupted = 4,
    WouldBlock = 11,
    Busy = 16,
    Exists = 17,
    NoSuchDevice = 19,
    InvalidArgument = 22,
    NotSupported = 95,
    AddressInUse = 98,
}
