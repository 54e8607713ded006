using OrleansWg.NodeHost.Netlink;
using OrleansWg.NodeHost.WireGuard;

namespace OrleansWg.Kernel.Tests;

/// <summary>The kernel's WireGuard configured from C# over generic netlink, checked against wg(8).</summary>
public sealed class WireGuardNetlinkTests
{
    private static string NewKey() => WireGuardKey.CreatePair().PrivateKey;

    private static string PublicKeyOf(string privateKey) => WireGuardKey.PublicKeyOf(privateKey);

    /// <summary>A WireGuard link called wg0 in <paramref name="space"/>, made over route netlink there.</summary>
    private static void MakeInterface(TestNamespace space)
    {
        using var route = NetlinkSocket.OpenIn(space.Path, NetlinkProtocol.Route);
        NetworkLinks.Create(route, "wg0", "wireguard");
    }

    private static WireGuardDevice Get(WireGuardNetlink netlink, TestNamespace space)
    {
        using var socket = NetlinkSocket.OpenIn(space.Path, NetlinkProtocol.Generic);
        return netlink.Get(socket, "wg0");
    }

    private static void Set(WireGuardNetlink netlink, TestNamespace space, WireGuardChanges changes)
    {
        using var socket = NetlinkSocket.OpenIn(space.Path, NetlinkProtocol.Generic);
        netlink.Set(socket, "wg0", changes);
    }

    [Fact]
    public async Task A_key_and_port_set_over_netlink_are_read_back_and_are_what_wg_shows()
    {
        var netlink = KernelWireGuardRequired.Netlink();
        await using var space = await TestNamespace.CreateAsync();
        MakeInterface(space);
        var key = NewKey();

        Set(netlink, space, new WireGuardChanges().SetPrivateKey(key).SetListenPort(51999));
        var device = Get(netlink, space);
        var shown = (await space.RunAsync("wg show wg0 dump")).Split('\n')[0].Split('\t');

        Assert.Equal((key, 51999), (device.PrivateKey, device.ListenPort));
        Assert.Equal((key, PublicKeyOf(key), "51999"), (shown[0], shown[1], shown[2]));
    }

    [Fact]
    public async Task Peers_added_given_another_address_and_removed_over_netlink_are_what_wg_shows()
    {
        var netlink = KernelWireGuardRequired.Netlink();
        await using var space = await TestNamespace.CreateAsync();
        MakeInterface(space);
        var (alice, bob) = (PublicKeyOf(NewKey()), PublicKeyOf(NewKey()));

        Set(netlink, space, new WireGuardChanges().SetPrivateKey(NewKey()).Peer(alice, "100.64.0.2/32").Peer(bob, "100.64.0.3/32"));
        Set(netlink, space, new WireGuardChanges().Peer(alice, "100.64.0.9/32").RemovePeer(bob));
        var device = Get(netlink, space);
        var shown = await space.RunAsync("wg show wg0 allowed-ips");

        var peer = Assert.Single(device.Peers);
        Assert.Equal((alice, "100.64.0.9/32"), (peer.PublicKey, Assert.Single(peer.AllowedIps)));
        Assert.Null(peer.LastHandshake);
        Assert.Equal($"{alice}\t100.64.0.9/32", shown.Trim());
    }

    [Fact]
    public async Task Removing_a_peer_the_interface_does_not_have_changes_nothing()
    {
        var netlink = KernelWireGuardRequired.Netlink();
        await using var space = await TestNamespace.CreateAsync();
        MakeInterface(space);
        var alice = PublicKeyOf(NewKey());
        Set(netlink, space, new WireGuardChanges().Peer(alice, "100.64.0.2/32"));

        Set(netlink, space, new WireGuardChanges().RemovePeer(PublicKeyOf(NewKey())));

        Assert.Equal(alice, Assert.Single(Get(netlink, space).Peers).PublicKey);
    }

    [Fact]
    public async Task Two_thousand_peers_set_in_one_call_are_all_there_in_the_dump_and_in_wg()
    {
        var netlink = KernelWireGuardRequired.Netlink();
        await using var space = await TestNamespace.CreateAsync();
        MakeInterface(space);
        var changes = new WireGuardChanges().SetPrivateKey(NewKey());
        var peers = Enumerable.Range(0, 2000).Select(number => (Key: PublicKeyOf(NewKey()), Address: $"100.64.{number / 250}.{number % 250 + 2}/32")).ToList();
        foreach (var (key, address) in peers)
        {
            changes.Peer(key, address);
        }

        Set(netlink, space, changes);
        var device = Get(netlink, space);
        var shown = (await space.RunAsync("wg show wg0 allowed-ips")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(peers.ToDictionary(peer => peer.Key, peer => peer.Address), device.Peers.ToDictionary(peer => peer.PublicKey, peer => Assert.Single(peer.AllowedIps)));
        Assert.Equal(2000, shown.Length);
    }

    [Fact]
    public async Task Two_interfaces_configured_only_over_netlink_complete_a_handshake_and_carry_a_ping()
    {
        var netlink = KernelWireGuardRequired.Netlink();
        await using var left = await TestNamespace.CreateAsync();
        await using var right = await TestNamespace.CreateAsync();
        await Command.RunAsync("ip", $"-n {left.Name} link add owgk0 type veth peer name owgk1 netns {right.Name}");
        await left.RunAsync("ip address add 198.18.41.1/24 dev owgk0");
        await right.RunAsync("ip address add 198.18.41.2/24 dev owgk1");
        await left.RunAsync("ip link set owgk0 up");
        await right.RunAsync("ip link set owgk1 up");
        var (leftKey, rightKey) = (NewKey(), NewKey());
        foreach (var (space, key, address) in new[] { (left, leftKey, "100.64.41.1/24"), (right, rightKey, "100.64.41.2/24") })
        {
            MakeInterface(space);
            Set(netlink, space, new WireGuardChanges().SetPrivateKey(key).SetListenPort(51820));
            await space.RunAsync($"ip address add {address} dev wg0");
            await space.RunAsync("ip link set wg0 up");
        }

        Set(netlink, left, new WireGuardChanges().Peer(PublicKeyOf(rightKey), "100.64.41.2/32"));
        Set(netlink, right, new WireGuardChanges().Peer(PublicKeyOf(leftKey), "100.64.41.1/32"));
        // The endpoint is the one setting the library does not send (the node never sets one): wg(8) sets it here.
        await left.RunAsync($"wg set wg0 peer {PublicKeyOf(rightKey)} endpoint 198.18.41.2:51820");

        await Command.EventuallyAsync("ip", $"netns exec {left.Name} ping -c 1 -W 2 100.64.41.2", TimeSpan.FromSeconds(30));
        var handshake = Assert.Single(Get(netlink, right).Peers).LastHandshake;

        Assert.NotNull(handshake);
        Assert.InRange(handshake.Value, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(1));
    }
}
