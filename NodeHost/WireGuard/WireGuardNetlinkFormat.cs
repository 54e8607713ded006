using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using OrleansWg.NodeHost.Netlink;

namespace OrleansWg.NodeHost.WireGuard;

/// <summary>
/// The kernel WireGuard's generic netlink messages (linux/wireguard.h): a "set" split into
/// messages of a bounded size, and a device read back from the messages of a dump.
/// </summary>
public static class WireGuardNetlinkFormat
{
    /// <summary>The size wg(8) fills a message up to: a page.</summary>
    public const int MessageBudget = 4096;

    public const byte GetDeviceCommand = 0;
    public const byte SetDeviceCommand = 1;
    public const byte Version = 1;

    private const ushort DeviceName = 2;
    private const ushort DevicePrivateKey = 3;
    private const ushort DeviceListenPort = 6;
    private const ushort DevicePeers = 8;
    private const ushort PeerPublicKey = 1;
    private const ushort PeerFlags = 3;
    private const ushort PeerLastHandshake = 6;
    private const ushort PeerReceivedBytes = 7;
    private const ushort PeerSentBytes = 8;
    private const ushort PeerAllowedIps = 9;
    private const ushort AllowedIpFamily = 1;
    private const ushort AllowedIpAddress = 2;
    private const ushort AllowedIpPrefix = 3;

    private const uint RemovePeer = 1;
    private const uint ReplaceAllowedIps = 2;

    /// <summary>The dump request that reads a device by name.</summary>
    public static NetlinkMessage Get(ushort family, string interfaceName) =>
        NetlinkMessage.Generic(family, GetDeviceCommand, Version, NetlinkFlags.Dump).String(DeviceName, interfaceName);

    /// <summary>
    /// The messages that make <paramref name="changes"/>, each at most <paramref name="budget"/>
    /// bytes unless a single peer needs more: the key and port go in the first, then as many peers
    /// as fit in each. The kernel applies each message on its own, in order.
    /// </summary>
    public static List<NetlinkMessage> Set(ushort family, string interfaceName, WireGuardChanges changes, int budget = MessageBudget)
    {
        var messages = new List<NetlinkMessage>();
        var message = SetMessage(family, interfaceName);
        if (changes.PrivateKey is { } privateKey)
        {
            message.Attribute(DevicePrivateKey, Convert.FromBase64String(privateKey));
        }

        if (changes.ListenPort is { } port)
        {
            message.U16(DeviceListenPort, (ushort)port);
        }

        var peers = changes.Peers.Count > 0 ? message.BeginNest(DevicePeers) : -1;
        var peersInMessage = 0;
        foreach (var peer in changes.Peers)
        {
            var before = message.Length;
            WritePeer(message, peer);
            if (message.Length > budget && peersInMessage > 0)
            {
                message.Truncate(before);
                message.EndNest(peers);
                messages.Add(message);
                message = SetMessage(family, interfaceName);
                peers = message.BeginNest(DevicePeers);
                WritePeer(message, peer);
                peersInMessage = 0;
            }

            peersInMessage++;
        }

        if (peers >= 0)
        {
            message.EndNest(peers);
        }

        messages.Add(message);
        return messages;
    }

    /// <summary>
    /// The device the messages of a dump describe. A peer with many addresses can run on into the
    /// next message, where it comes again with its key and the rest of its addresses.
    /// </summary>
    public static WireGuardDevice ReadDevice(IEnumerable<NetlinkReply> replies)
    {
        string? privateKey = null;
        var listenPort = 0;
        var peers = new List<PeerRead>();
        foreach (var reply in replies)
        {
            var attributes = new NetlinkAttributes(reply.Payload.AsSpan(4));
            while (attributes.Next(out var type, out var value))
            {
                switch (type)
                {
                    case DevicePrivateKey:
                        privateKey = Convert.ToBase64String(value);
                        break;
                    case DeviceListenPort:
                        listenPort = NetlinkAttributes.U16(value);
                        break;
                    case DevicePeers:
                        ReadPeers(value, peers);
                        break;
                }
            }
        }

        return new WireGuardDevice(privateKey, listenPort,
            [.. peers.Select(peer => new WireGuardPeer(peer.PublicKey, peer.AllowedIps, peer.LastHandshake, peer.ReceivedBytes, peer.SentBytes))]);
    }

    private static NetlinkMessage SetMessage(ushort family, string interfaceName) =>
        NetlinkMessage.Generic(family, SetDeviceCommand, Version, 0).String(DeviceName, interfaceName);

    private static void WritePeer(NetlinkMessage message, WireGuardPeerChange peer)
    {
        var entry = message.BeginNest(0);
        message.Attribute(PeerPublicKey, Convert.FromBase64String(peer.PublicKey));
        if (peer.AllowedIp is null)
        {
            message.U32(PeerFlags, RemovePeer);
        }
        else
        {
            var (address, prefix) = Cidr(peer.AllowedIp);
            message.U32(PeerFlags, ReplaceAllowedIps);
            var allowedIps = message.BeginNest(PeerAllowedIps);
            var allowedIp = message.BeginNest(0);
            message.U16(AllowedIpFamily, (ushort)(address.AddressFamily == AddressFamily.InterNetworkV6 ? 10 : 2))
                .Address(AllowedIpAddress, address)
                .U8(AllowedIpPrefix, (byte)prefix);
            message.EndNest(allowedIp);
            message.EndNest(allowedIps);
        }

        message.EndNest(entry);
    }

    private static (IPAddress Address, int Prefix) Cidr(string cidr)
    {
        var slash = cidr.IndexOf('/');
        var address = IPAddress.Parse(slash < 0 ? cidr : cidr[..slash]);
        var whole = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        return (address, slash < 0 ? whole : int.Parse(cidr[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void ReadPeers(ReadOnlySpan<byte> entries, List<PeerRead> peers)
    {
        var list = new NetlinkAttributes(entries);
        while (list.Next(out _, out var entry))
        {
            var attributes = new NetlinkAttributes(entry);
            var read = new PeerRead();
            while (attributes.Next(out var type, out var value))
            {
                switch (type)
                {
                    case PeerPublicKey:
                        read.PublicKey = Convert.ToBase64String(value);
                        break;
                    case PeerLastHandshake:
                        var seconds = MemoryMarshal.Read<long>(value);
                        var nanoseconds = MemoryMarshal.Read<long>(value[8..]);
                        read.LastHandshake = seconds == 0 && nanoseconds == 0
                            ? null
                            : DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanoseconds / 100);
                        break;
                    case PeerReceivedBytes:
                        read.ReceivedBytes = (long)NetlinkAttributes.U64(value);
                        break;
                    case PeerSentBytes:
                        read.SentBytes = (long)NetlinkAttributes.U64(value);
                        break;
                    case PeerAllowedIps:
                        ReadAllowedIps(value, read.AllowedIps);
                        break;
                }
            }

            // The rest of the previous peer's addresses, in a message of their own.
            if (peers.Count > 0 && peers[^1].PublicKey == read.PublicKey)
            {
                peers[^1].AllowedIps.AddRange(read.AllowedIps);
            }
            else
            {
                peers.Add(read);
            }
        }
    }

    private static void ReadAllowedIps(ReadOnlySpan<byte> entries, List<string> allowedIps)
    {
        var list = new NetlinkAttributes(entries);
        while (list.Next(out _, out var entry))
        {
            var attributes = new NetlinkAttributes(entry);
            IPAddress? address = null;
            var prefix = 0;
            while (attributes.Next(out var type, out var value))
            {
                if (type == AllowedIpAddress)
                {
                    address = new IPAddress(value);
                }
                else if (type == AllowedIpPrefix)
                {
                    prefix = value[0];
                }
            }

            if (address is not null)
            {
                allowedIps.Add($"{address}/{prefix}");
            }
        }
    }

    private sealed class PeerRead
    {
        public string PublicKey { get; set; } = "";
        public List<string> AllowedIps { get; } = [];
        public DateTimeOffset? LastHandshake { get; set; }
        public long ReceivedBytes { get; set; }
        public long SentBytes { get; set; }
    }
}
