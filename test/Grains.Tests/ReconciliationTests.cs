namespace OrleansWg.Grains.Tests;

[Collection(AuditingClusterCollection.Name)]
public sealed class ReconciliationTests(AuditingClusterFixture fixture)
{
    private readonly TestWorld world = new(fixture.Client);

    [Fact]
    public async Task A_server_whose_node_call_timed_out_keeps_no_peer_of_a_session_granted_elsewhere()
    {
        var (slow, slowAgent) = await world.Server("slow");
        var (quick, _) = await world.Server("quick");
        // A live session on the quick server ranks the slow one, emptier, first.
        await (await world.User("al", new ServerPermissions([quick], []))).Connect(TestWorld.Request());
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        slowAgent.Delay = TimeSpan.FromSeconds(6);
        var user = await world.User("ann", new ServerPermissions([slow, quick], []));

        var session = (await user.Connect(TestWorld.Request())).Session!;
        var leftOnSlow = await PeersOf(slow, session.SessionId);
        await fixture.Client.GetGrain<ISessionGrain>(session.SessionId).Close(CloseReason.Client);

        Assert.Equal(quick, session.ServerId);
        Assert.Empty(leftOnSlow);
        Assert.Empty(await PeersOf(slow, session.SessionId));
        Assert.Empty(await PeersOf(quick, session.SessionId));
    }

    [Fact]
    public async Task A_peer_without_a_session_is_removed_by_the_servers_audit()
    {
        var (serverId, agent) = await world.Server("node");
        var orphan = new PeerRequest(Guid.NewGuid(), world.Name("ben"), WireGuardKey.CreatePair().PublicKey, "100.64.0.2/32");
        Assert.NotNull((await fixture.Client.GetGrain<IServerGrain>(serverId).AddPeer(orphan)).Grant);

        await TestWorld.Until(async () => (await PeersOf(serverId, orphan.SessionId)).Count == 0, TimeSpan.FromSeconds(15));

        Assert.Empty(await PeersOf(serverId, orphan.SessionId));
        Assert.Empty(agent.PeersOf(world.Name("ben")));
    }

    [Fact]
    public async Task One_users_failing_container_fails_only_that_users_connect()
    {
        var (_, agent) = await world.Server("node");
        var broken = await world.User("cy");
        var healthy = await world.User("di");
        agent.FailingUsers.Add(world.Name("cy"));

        var refused = await broken.Connect(TestWorld.Request());
        var connected = await healthy.Connect(TestWorld.Request());

        Assert.Equal(ConnectStatus.NoServerAvailable, refused.Status);
        Assert.DoesNotContain("interface", refused.Detail);
        Assert.Equal(ConnectStatus.Connected, connected.Status);
    }

    private async Task<List<PeerView>> PeersOf(string serverId, Guid sessionId) =>
        [.. (await fixture.Client.GetGrain<IServerGrain>(serverId).Describe())!.Peers.Where(peer => peer.SessionId == sessionId)];
}
