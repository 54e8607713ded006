using System.Net;
using System.Runtime.InteropServices;

namespace OrleansWg.NodeHost.Netlink;

/// <summary>
/// Links and addresses over route netlink (what `ip link` and `ip address` do), in the namespace
/// of the socket given.
/// </summary>
public static class NetworkLinks
{
    private const ushort NewLink = 16;
    private const ushort DeleteLink = 17;
    private const ushort GetLink = 18;
    private const ushort NewAddress = 20;

    private const ushort NameAttribute = 3;
    private const ushort LinkInfoAttribute = 18;
    private const ushort KindAttribute = 1;
    private const ushort NamespaceDescriptorAttribute = 28;
    private const ushort LocalAddressAttribute = 2;
    private const ushort AddressAttribute = 1;
    private const uint Up = 1;

    /// <summary>Makes a link of <paramref name="kind"/>; fails with EEXIST when the name is taken.</summary>
    public static void Create(NetlinkSocket socket, string name, string kind)
    {
        var request = LinkRequest(NewLink, NetlinkFlags.Create | NetlinkFlags.Exclusive, 0).String(NameAttribute, name);
        var info = request.BeginNest(LinkInfoAttribute);
        request.String(KindAttribute, kind);
        request.EndNest(info);
        socket.Exchange(request, $"creating {kind} link {name}");
    }

    /// <summary>The link called <paramref name="name"/>; null when there is none.</summary>
    public static NetworkLink? Find(NetlinkSocket socket, string name)
    {
        try
        {
            var reply = socket.Exchange(LinkRequest(GetLink, 0, 0).String(NameAttribute, name), $"reading link {name}").Single();
            return Read(reply.Payload);
        }
        catch (NetlinkException missing) when (missing.Is(Errno.NoSuchDevice))
        {
            return null;
        }
    }

    /// <summary>
    /// Moves a link into the namespace at <paramref name="namespacePath"/>, named
    /// <paramref name="newName"/> there, in one request (the name may be taken where it was).
    /// </summary>
    public static void MoveTo(NetlinkSocket socket, int index, string namespacePath, string newName)
    {
        var target = NetworkNamespace.OpenFile(namespacePath);
        try
        {
            socket.Exchange(
                LinkRequest(NewLink, 0, index).U32(NamespaceDescriptorAttribute, (uint)target).String(NameAttribute, newName),
                $"moving link {index} into {namespacePath} as {newName}");
        }
        finally
        {
            NetworkNamespace.Close(target);
        }
    }

    /// <summary>Gives a link an address; giving it the same address again changes nothing.</summary>
    public static void AddAddress(NetlinkSocket socket, int index, IPAddress address, int prefixLength)
    {
        Span<byte> header = stackalloc byte[8];
        header[0] = (byte)(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 10 : 2);
        header[1] = (byte)prefixLength;
        MemoryMarshal.Write(header[4..], index);
        socket.Exchange(
            new NetlinkMessage(NewAddress, NetlinkFlags.Create | NetlinkFlags.Replace).Header(header)
                .Address(LocalAddressAttribute, address).Address(AddressAttribute, address),
            $"adding {address}/{prefixLength} to link {index}");
    }

    public static void SetUp(NetlinkSocket socket, int index)
    {
        var request = new NetlinkMessage(NewLink, 0).Header(LinkHeader(index, flags: Up, change: Up));
        socket.Exchange(request, $"bringing link {index} up");
    }

    public static void Delete(NetlinkSocket socket, int index) =>
        socket.Exchange(LinkRequest(DeleteLink, 0, index), $"deleting link {index}");

    private static NetlinkMessage LinkRequest(ushort type, ushort flags, int index) =>
        new NetlinkMessage(type, flags).Header(LinkHeader(index, 0, 0));

    // ifinfomsg: family, padding, device type, index, flags, which flags to change.
    private static byte[] LinkHeader(int index, uint flags, uint change)
    {
        var header = new byte[16];
        MemoryMarshal.Write(header.AsSpan(4), index);
        MemoryMarshal.Write(header.AsSpan(8), flags);
        MemoryMarshal.Write(header.AsSpan(12), change);
        return header;
    }

    private static NetworkLink Read(byte[] payload)
    {
        var index = MemoryMarshal.Read<int>(payload.AsSpan(4));
        var flags = MemoryMarshal.Read<uint>(payload.AsSpan(8));
        string name = "";
        string? kind = null;
        var attributes = new NetlinkAttributes(payload.AsSpan(16));
        while (attributes.Next(out var type, out var value))
        {
            if (type == NameAttribute)
            {
                name = NetlinkAttributes.String(value);
            }
            else if (type == LinkInfoAttribute)
            {
                var info = new NetlinkAttributes(value);
                while (info.Next(out var infoType, out var infoValue))
                {
                    if (infoType == KindAttribute)
                    {
                        kind = NetlinkAttributes.String(infoValue);
                    }
                }
            }
        }

        return new NetworkLink(index, name, kind, (flags & Up) != 0);
    }
}
