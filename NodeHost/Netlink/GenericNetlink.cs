namespace OrleansWg.NodeHost.Netlink;

/// <summary>
/// Generic netlink: protocols such as WireGuard's are reached through a family number the
/// kernel gives out by name. The number is the same in every namespace.
/// </summary>
public static class GenericNetlink
{
    /// <summary>The family of the controller, which hands out the others' numbers.</summary>
    public const ushort ControllerFamily = 0x10;

    private const byte GetFamilyCommand = 3;
    private const ushort FamilyIdAttribute = 1;
    private const ushort FamilyNameAttribute = 2;

    /// <summary>The family's number; null when the kernel has no such family (its module is missing).</summary>
    public static ushort? FindFamily(NetlinkSocket socket, string name)
    {
        var request = NetlinkMessage.Generic(ControllerFamily, GetFamilyCommand, 1, 0)
            .String(FamilyNameAttribute, name);
        try
        {
            foreach (var reply in socket.Exchange(request, $"finding the {name} netlink family"))
            {
                var attributes = new NetlinkAttributes(reply.Payload.AsSpan(4));
                while (attributes.Next(out var type, out var payload))
                {
                    if (type == FamilyIdAttribute)
                    {
                        return NetlinkAttributes.U16(payload);
                    }
                }
            }

            return null;
        }
        catch (NetlinkException missing) when (missing.Is(Errno.NoSuchEntry))
        {
            return null;
        }
    }
}
