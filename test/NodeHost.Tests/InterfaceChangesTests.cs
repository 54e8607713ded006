using OrleansWg.NodeHost.Convergence;
using OrleansWg.NodeHost.WireGuard;

namespace OrleansWg.NodeHost.Tests;

public sealed class InterfaceChangesTests
{
    private static readonly string InterfaceKey = Key(0x01);
    private static readonly string AliceKey = Key(0xaa);
    private static readonly string BobKey = Key(0xbb);

    private static string Key(byte fill) => Convert.ToBase64String(Enumerable.Repeat(fill, 32).ToArray());

    private static string Hex(string key) => WireGuardKey.ToHex(key);

    private static WireGuardDevice Device(params WireGuardPeer[] peers) => new(InterfaceKey, 51820, peers);

    private static WireGuardPeer Has(string key, params string[] allowedIps) => new(key, allowedIps, null, 0, 0);

    private static Dictionary<string, DesiredPeer> Wanted(params DesiredPeer[] peers) => peers.ToDictionary(peer => peer.PublicKey);

    [Fact]
    public void An_interface_as_desired_is_told_nothing() =>
        Assert.True(InterfaceChanges.For(Device(Has(AliceKey, "100.64.0.2/32")), InterfaceKey, 51820, Wanted(new DesiredPeer(AliceKey, "100.64.0.2/32"))).IsEmpty);

    [Fact]
    public void An_interface_without_a_key_or_port_is_given_both_before_its_peers() =>
        Assert.Equal($"private_key={Hex(InterfaceKey)}\nlisten_port=51820\npublic_key={Hex(AliceKey)}\nreplace_allowed_ips=true\nallowed_ip=100.64.0.2/32\n",
            UapiSet.Text(InterfaceChanges.For(new WireGuardDevice(null, 0, []), InterfaceKey, 51820, Wanted(new DesiredPeer(AliceKey, "100.64.0.2/32")))));

    [Fact]
    public void An_interface_showing_its_key_clamped_as_the_kernel_does_is_not_given_it_again()
    {
        var unclamped = Key(0xff);

        var changes = InterfaceChanges.For(new WireGuardDevice(WireGuardKey.Clamped(unclamped), 51820, []), unclamped, 51820, Wanted());

        Assert.NotEqual(unclamped, WireGuardKey.Clamped(unclamped));
        Assert.True(changes.IsEmpty);
    }

    [Fact]
    public void A_peer_no_longer_desired_is_removed() =>
        Assert.Equal($"public_key={Hex(BobKey)}\nremove=true\n",
            UapiSet.Text(InterfaceChanges.For(Device(Has(AliceKey, "100.64.0.2/32"), Has(BobKey, "100.64.0.3/32")), InterfaceKey, 51820,
                Wanted(new DesiredPeer(AliceKey, "100.64.0.2/32")))));

    [Theory]
    [InlineData("100.64.0.9/32")]
    [InlineData("100.64.0.2/32", "100.64.0.9/32")]
    [InlineData]
    public void A_peer_with_other_allowed_addresses_is_set_again_with_its_one(params string[] allowedIps) =>
        Assert.Equal($"public_key={Hex(AliceKey)}\nreplace_allowed_ips=true\nallowed_ip=100.64.0.2/32\n",
            UapiSet.Text(InterfaceChanges.For(Device(Has(AliceKey, allowedIps)), InterfaceKey, 51820, Wanted(new DesiredPeer(AliceKey, "100.64.0.2/32")))));

    [Fact]
    public void An_interface_on_another_port_is_moved_to_its_port() =>
        Assert.Equal("listen_port=51820\n", UapiSet.Text(InterfaceChanges.For(new WireGuardDevice(InterfaceKey, 41000, []), InterfaceKey, 51820, Wanted())));
}
