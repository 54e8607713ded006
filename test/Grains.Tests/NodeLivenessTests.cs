using Microsoft.Extensions.Time.Testing;
using OrleansWg.Grains.Servers;

namespace OrleansWg.Grains.Tests;

[Collection(QuickNodeDownClusterCollection.Name)]
public sealed class NodeLivenessTests(QuickNodeDownClusterFixture fixture)
{
    private static readonly TimeSpan DownAfter = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan RestartGrace = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan CheckPeriod = NodeLiveness.CheckPeriodFor(DownAfter);

    private readonly TestWorld world = new(fixture.Client);

    [Fact]
    public async Task A_server_busy_with_a_node_call_longer_than_NodeDownAfter_hears_its_nodes_alive_signals_and_keeps_it_up()
    {
        var (serverId, agent) = await world.Server("slow", load: 1);
        var server = fixture.Client.GetGrain<IServerGrain>(serverId);
        await server.NodeAlive();
        // Longer than the node may stay unheard (3 s), shorter than a node call may take (5 s).
        agent.Delay = TimeSpan.FromSeconds(4);
        var waiting = server.AddPeer(new PeerRequest(Guid.NewGuid(), world.Name("late"), WireGuardKey.CreatePair().PublicKey, "100.64.0.3/32"));

        var directory = fixture.Client.GetGrain<IServerDirectoryGrain>(0);
        var seenDown = false;
        for (var signal = 0; signal < 8; signal++)
        {
            await server.NodeAlive();
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            seenDown |= (await directory.List()).Single(summary => summary.Id == serverId).Draining;
        }

        Assert.False(seenDown, "the directory saw the server down while it waited on its node");
        Assert.NotNull((await waiting).Grant);
    }

    [Fact]
    public void A_node_unheard_for_longer_than_NodeDownAfter_is_called_down_once_and_is_up_again_when_heard()
    {
        var clock = new FakeTimeProvider();
        var liveness = Heard(clock);

        var calls = Checks(clock, liveness, DownAfter + CheckPeriod);

        Assert.Equal(1, calls);
        Assert.True(liveness.IsDown);
        Assert.NotNull(liveness.DownFor);
        Assert.True(liveness.Heard(aliveSignal: true));
        Assert.False(liveness.IsDown);
        Assert.Null(liveness.DownFor);
    }

    [Fact]
    public void A_node_heard_within_NodeDownAfter_each_time_is_never_called_down()
    {
        var clock = new FakeTimeProvider();
        var liveness = Heard(clock);

        for (var second = 0; second < 60; second++)
        {
            Assert.Equal(0, Checks(clock, liveness, TimeSpan.FromSeconds(5)));
            liveness.Heard(aliveSignal: true);
        }
    }

    [Fact]
    public void A_silo_that_stood_still_longer_than_NodeDownAfter_gives_the_node_its_whole_allowance_again()
    {
        var clock = new FakeTimeProvider();
        var liveness = Heard(clock);
        liveness.Check();

        // A pause of this silo: no check ran, no signal was taken from its queue.
        clock.Advance(DownAfter * 3);

        Assert.False(liveness.Check());
        Assert.Equal(0, Checks(clock, liveness, DownAfter - CheckPeriod));
        Assert.Equal(1, Checks(clock, liveness, CheckPeriod * 2));
    }

    [Fact]
    public void A_node_that_said_it_is_stopping_has_NodeRestartGrace_before_it_is_down()
    {
        var clock = new FakeTimeProvider();
        var liveness = Heard(clock);
        liveness.Left();

        Assert.Equal(0, Checks(clock, liveness, RestartGrace - CheckPeriod));
        Assert.Equal(1, Checks(clock, liveness, CheckPeriod * 2));
    }

    [Fact]
    public void A_node_that_sends_heartbeats_only_has_the_allowance_of_the_version_before()
    {
        var clock = new FakeTimeProvider();
        var liveness = new NodeLiveness(clock, DownAfter, RestartGrace, CheckPeriod);
        liveness.Heard(aliveSignal: false);

        Assert.Equal(0, Checks(clock, liveness, NodeLiveness.HeartbeatsOnlyAllowance - CheckPeriod));
        Assert.Equal(1, Checks(clock, liveness, CheckPeriod * 2));
    }

    private static NodeLiveness Heard(FakeTimeProvider clock)
    {
        var liveness = new NodeLiveness(clock, DownAfter, RestartGrace, CheckPeriod);
        liveness.Heard(aliveSignal: true);
        return liveness;
    }

    /// <summary>Checks every check period for <paramref name="span"/>.</summary>
    /// <returns>How many checks called the node down.</returns>
    private static int Checks(FakeTimeProvider clock, NodeLiveness liveness, TimeSpan span)
    {
        var downs = 0;
        for (var elapsed = TimeSpan.Zero; elapsed < span; elapsed += CheckPeriod)
        {
            clock.Advance(CheckPeriod);
            downs += liveness.Check() ? 1 : 0;
        }

        return downs;
    }
}
