using OrleansWg.NodeHost.WireGuard;

namespace OrleansWg.NodeHost.Tests;

public sealed class UapiSetTests
{
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private const string KeyHex = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";

    [Fact]
    public void A_peer_is_written_with_its_key_in_hex_and_replaces_its_allowed_ips() =>
        Assert.Equal($"public_key={KeyHex}\nreplace_allowed_ips=true\nallowed_ip=100.64.0.2/32\n",
            UapiSet.Text(new WireGuardChanges().Peer(Key, "100.64.0.2/32")));

    [Fact]
    public void A_removal_and_a_private_key_are_written_as_the_protocol_says() =>
        Assert.Equal($"private_key={KeyHex}\nlisten_port=51820\npublic_key={KeyHex}\nremove=true\n",
            UapiSet.Text(new WireGuardChanges().SetPrivateKey(Key).SetListenPort(51820).RemovePeer(Key)));
}
