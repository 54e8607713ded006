using OrleansWg.NodeHost.Netlink;
using OrleansWg.NodeHost.WireGuard;

namespace OrleansWg.NodeHost.Tests;

public sealed class WireGuardNetlinkFormatTests
{
    private const ushort Family = 0x22;
    private static readonly string InterfaceKey = Key(0);

    private static string Key(int number) =>
        Convert.ToBase64String(BitConverter.GetBytes(number).Concat(Enumerable.Repeat((byte)0x5a, 28)).ToArray());

    private static string Address(int number) => $"100.64.{number / 250}.{number % 250 + 2}/32";

    /// <summary>What the kernel would send back for a device: its messages' payloads as a dump's replies.</summary>
    private static NetlinkReply Reply(NetlinkMessage message) =>
        new(Family, NetlinkFlags.Multipart, message.Complete(1)[16..].ToArray());

    /// <summary>The peers a set's messages carry, read back as a dump of the same layout would be.</summary>
    private static WireGuardDevice ReadBack(IEnumerable<NetlinkMessage> messages) => WireGuardNetlinkFormat.ReadDevice(messages.Select(Reply));

    [Fact]
    public void A_key_port_and_one_peer_go_in_one_message_and_read_back_equal()
    {
        var changes = new WireGuardChanges().SetPrivateKey(InterfaceKey).SetListenPort(51820).Peer(Key(1), "100.64.0.2/32");

        var messages = WireGuardNetlinkFormat.Set(Family, "wg0", changes);

        var device = ReadBack(messages);
        Assert.Single(messages);
        Assert.Equal(InterfaceKey, device.PrivateKey);
        Assert.Equal(51820, device.ListenPort);
        Assert.Equal(Key(1), Assert.Single(device.Peers).PublicKey);
        Assert.Equal(["100.64.0.2/32"], device.Peers[0].AllowedIps);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(5_000)]
    public void Many_peers_are_split_into_messages_within_the_budget_in_order_with_the_key_only_in_the_first(int count)
    {
        var changes = new WireGuardChanges().SetPrivateKey(InterfaceKey);
        for (var number = 1; number <= count; number++)
        {
            changes.Peer(Key(number), Address(number));
        }

        var messages = WireGuardNetlinkFormat.Set(Family, "owgp51820", changes);

        Assert.All(messages, message => Assert.InRange(message.Length, 1, WireGuardNetlinkFormat.MessageBudget));
        Assert.True(messages.Count >= count * 80 / WireGuardNetlinkFormat.MessageBudget);
        Assert.Equal(InterfaceKey, ReadBack(messages.Take(1)).PrivateKey);
        Assert.All(messages.Skip(1), message => Assert.Null(ReadBack([message]).PrivateKey));
        var peers = ReadBack(messages).Peers;
        Assert.Equal(Enumerable.Range(1, count).Select(Key), peers.Select(peer => peer.PublicKey));
        Assert.Equal(Enumerable.Range(1, count).Select(Address), peers.Select(peer => Assert.Single(peer.AllowedIps)));
    }

    [Fact]
    public void A_removal_carries_no_addresses()
    {
        var message = Assert.Single(WireGuardNetlinkFormat.Set(Family, "wg0", new WireGuardChanges().RemovePeer(Key(7))));

        Assert.Empty(Assert.Single(ReadBack([message]).Peers).AllowedIps);
    }

    [Fact]
    public void A_peer_whose_addresses_ran_on_into_the_next_message_is_read_as_one()
    {
        var first = WireGuardNetlinkFormat.Set(Family, "wg0", new WireGuardChanges().Peer(Key(1), "100.64.0.2/32").Peer(Key(2), "100.64.0.3/32"));
        var rest = WireGuardNetlinkFormat.Set(Family, "wg0", new WireGuardChanges().Peer(Key(2), "fd00::3/128"));

        var device = ReadBack([.. first, .. rest]);

        Assert.Equal([Key(1), Key(2)], device.Peers.Select(peer => peer.PublicKey));
        Assert.Equal(["100.64.0.3/32", "fd00::3/128"], device.Peers[1].AllowedIps);
    }

    [Fact]
    public void A_device_with_no_key_and_no_peers_reads_as_such() =>
        Assert.Equal((null, 0, 0), ReadBack([NetlinkMessage.Generic(Family, 0, 1, 0).String(2, "wg0")]) is var device
            ? (device.PrivateKey, device.ListenPort, device.Peers.Count)
            : default);
}
