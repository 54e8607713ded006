using OrleansWg.NodeHost.WireGuard;

namespace OrleansWg.NodeHost.Tests;

public sealed class UapiAnswerTests
{
    private const string Socket = "/run/owg/a/wg0.sock";

    private static readonly string InterfaceKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private const string InterfaceKeyHex = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";
    private static readonly string AliceKey = Convert.ToBase64String(Enumerable.Repeat((byte)0xaa, 32).ToArray());
    private static readonly string AliceKeyHex = string.Concat(Enumerable.Repeat("aa", 32));
    private static readonly string BobKey = Convert.ToBase64String(Enumerable.Repeat((byte)0xbb, 32).ToArray());
    private static readonly string BobKeyHex = string.Concat(Enumerable.Repeat("bb", 32));

    private static WireGuardDevice Get(string answer) => UapiAnswer.Device(UapiAnswer.Lines(answer, Socket));

    [Fact]
    public void A_get_answer_with_two_peers_reads_each_peers_key_allowed_ips_handshake_and_traffic()
    {
        var device = Get(
            $"private_key={InterfaceKeyHex}\nlisten_port=51820\n" +
            $"public_key={AliceKeyHex}\npreshared_key={new string('0', 64)}\nprotocol_version=1\nendpoint=198.51.100.7:41234\n" +
            "last_handshake_time_sec=1764990000\nlast_handshake_time_nsec=123\ntx_bytes=2048\nrx_bytes=4096\n" +
            "persistent_keepalive_interval=0\nallowed_ip=100.64.0.2/32\nallowed_ip=fd00::2/128\n" +
            $"public_key={BobKeyHex}\nprotocol_version=1\nlast_handshake_time_sec=0\nlast_handshake_time_nsec=0\ntx_bytes=0\nrx_bytes=0\n" +
            "allowed_ip=100.64.0.3/32\n" +
            "errno=0\n\n");

        Assert.Equal(InterfaceKey, device.PrivateKey);
        Assert.Equal(51820, device.ListenPort);
        Assert.Equal(2, device.Peers.Count);
        var alice = device.Peers[0];
        Assert.Equal(AliceKey, alice.PublicKey);
        Assert.Equal(["100.64.0.2/32", "fd00::2/128"], alice.AllowedIps);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764990000), alice.LastHandshake);
        Assert.Equal((4096L, 2048L), (alice.ReceivedBytes, alice.SentBytes));
        var bob = device.Peers[1];
        Assert.Equal(BobKey, bob.PublicKey);
        Assert.Equal(["100.64.0.3/32"], bob.AllowedIps);
        Assert.Null(bob.LastHandshake);
        Assert.Equal((0L, 0L), (bob.ReceivedBytes, bob.SentBytes));
    }

    [Fact]
    public void An_interface_that_came_up_without_a_key_or_port_reads_as_having_none()
    {
        var device = Get("errno=0\n\n");

        Assert.Equal((null, 0), (device.PrivateKey, device.ListenPort));
        Assert.Empty(device.Peers);
    }

    [Fact]
    public void A_peer_reported_without_counters_reads_as_idle()
    {
        var peer = Assert.Single(Get($"private_key={InterfaceKeyHex}\nlisten_port=51820\npublic_key={AliceKeyHex}\nerrno=0\n\n").Peers);

        Assert.Equal((AliceKey, null, 0L, 0L), (peer.PublicKey, peer.LastHandshake, peer.ReceivedBytes, peer.SentBytes));
        Assert.Empty(peer.AllowedIps);
    }

    [Fact]
    public void A_set_answer_of_errno_0_is_accepted() =>
        Assert.Equal([("errno", "0")], UapiAnswer.Lines("errno=0\n\n", Socket));

    [Fact]
    public void A_value_keeps_everything_after_the_first_equals_sign() =>
        Assert.Equal([("endpoint", "a=b"), ("errno", "0")], UapiAnswer.Lines("endpoint=a=b\nerrno=0\n\n", Socket));

    [Theory]
    [InlineData("errno=22\n\n", "errno=22")]
    [InlineData("errno=0\nerrno=1\n\n", "errno=1")]
    [InlineData("listen_port=51820\n\n", "errno=")]
    public void An_answer_whose_last_errno_is_not_0_is_refused_naming_the_socket(string answer, string said)
    {
        var refusal = Assert.Throws<IOException>(() => UapiAnswer.Lines(answer, Socket));

        Assert.Contains(Socket, refusal.Message);
        Assert.EndsWith(said, refusal.Message);
    }
}
