namespace OrleansWg.Grains.Tests;

[Collection(QuickNodeDownClusterCollection.Name)]
public sealed class NodeLivenessTests(QuickNodeDownClusterFixture fixture)
{
    private readonly TestWorld world = new(fixture.Client);

    [Fact]
    public async Task A_sessions_check_hears_the_heartbeat_queued_before_it_so_a_node_only_slow_to_answer_is_not_down()
    {
        var (serverId, agent) = await world.Server("slow", load: 1);
        var server = fixture.Client.GetGrain<IServerGrain>(serverId);
        var sessionId = (await server.Describe())!.Peers.Single().SessionId;
        // Longer than the node may stay unheard (2 s), shorter than a node call may take (5 s).
        agent.Delay = TimeSpan.FromSeconds(4);
        var waiting = server.AddPeer(new PeerRequest(Guid.NewGuid(), world.Name("late"), WireGuardKey.CreatePair().PublicKey, "100.64.0.3/32"));

        await Task.Delay(TimeSpan.FromSeconds(3));
        var heartbeat = world.Heartbeat(serverId);
        // Sent well after the heartbeat, which may go through the other silo.
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var status = await server.GetPeerStatus(sessionId);

        Assert.Null(status.NodeDownFor);
        await heartbeat;
        Assert.NotNull((await waiting).Grant);
    }
}
