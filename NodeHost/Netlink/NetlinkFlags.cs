namespace OrleansWg.NodeHost.Netlink;

/// <summary>The flags of a netlink message header (linux/netlink.h).</summary>
public static class NetlinkFlags
{
    public const ushort Request = 0x1;
    public const ushort Multipart = 0x2;
    public const ushort Acknowledge = 0x4;
    public const ushort DumpInterrupted = 0x10;
    public const ushort Dump = 0x300;

    // Modifiers of a "new" request.
    public const ushort Replace = 0x100;
    public const ushort Exclusive = 0x200;
    public const ushort Create = 0x400;

    // Flags of an error answer: the request was not echoed back, and attributes follow.
    public const ushort Capped = 0x100;
    public const ushort AcknowledgeAttributes = 0x200;

    // Message types every netlink protocol shares.
    public const ushort ErrorType = 2;
    public const ushort DoneType = 3;

    /// <summary>Set on an attribute that holds attributes.</summary>
    public const ushort Nested = 0x8000;

    public const int HeaderLength = 16;

    public static int Align(int length) => (length + 3) & ~3;
}
