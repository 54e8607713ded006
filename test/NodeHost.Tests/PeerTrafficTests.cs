using OrleansWg.NodeHost.Convergence;

namespace OrleansWg.NodeHost.Tests;

public sealed class PeerTrafficTests
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void A_peer_that_has_sent_nothing_has_no_last_receive() =>
        Assert.Null(new PeerTraffic(new Clock()).LastReceive("wg0", "key", 0));

    [Fact]
    public void The_last_receive_moves_only_when_the_received_bytes_grow()
    {
        var clock = new Clock();
        var traffic = new PeerTraffic(clock);
        var first = clock.Now;

        traffic.LastReceive("wg0", "key", 100);
        clock.Now = first.AddSeconds(5);
        var unchanged = traffic.LastReceive("wg0", "key", 100);
        clock.Now = first.AddSeconds(10);
        var grown = traffic.LastReceive("wg0", "key", 148);

        Assert.Equal(first, unchanged);
        Assert.Equal(first.AddSeconds(10), grown);
    }

    [Fact]
    public void A_forgotten_peer_counts_as_active_when_seen_again_with_bytes()
    {
        var clock = new Clock();
        var traffic = new PeerTraffic(clock);
        traffic.LastReceive("wg0", "key", 100);

        traffic.KeepOnly([]);
        clock.Now = clock.Now.AddMinutes(1);

        Assert.Equal(clock.Now, traffic.LastReceive("wg0", "key", 100));
    }
}
