namespace OrleansWg.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ServerPushTests(ClusterFixture fixture)
{
    private readonly TestWorld world = new(fixture.Client);

    [Fact]
    public async Task Connects_push_only_their_users_container_once_the_node_holds_the_whole_state()
    {
        var (_, agent) = await world.Server("node");
        var users = new[] { "ada", "bo", "cid" };

        foreach (var name in users)
        {
            await (await world.User(name)).Connect(TestWorld.Request());
        }

        // The node was handed nothing at registration here: the first push found no revision to build on.
        Assert.Equal(users.Length - 1, agent.ChangesApplied);
        Assert.Equal(users.Select(world.Name).Order(), agent.Last!.Containers.Select(c => c.User).Order());
        Assert.All(agent.Last.Containers, container => Assert.Single(container.Peers));
    }

    [Fact]
    public async Task A_reactivated_server_reads_every_shard_and_gives_its_node_the_whole_state_under_a_later_epoch()
    {
        var (serverId, agent) = await world.Server("node", capacity: 40);
        var users = Enumerable.Range(0, 30).Select(i => world.Name($"u{i}")).ToList();
        foreach (var user in users)
        {
            var peer = new PeerRequest(Guid.NewGuid(), user, WireGuardKey.CreatePair().PublicKey, "100.64.0.2/32");
            Assert.NotNull((await fixture.Client.GetGrain<IServerGrain>(serverId).AddPeer(peer)).Grant);
        }

        var server = fixture.Client.GetGrain<IServerGrain>(serverId);
        var before = await server.Describe();
        var epoch = agent.Last!.Epoch;
        await server.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        var applied = agent.ChangesApplied;

        var late = new PeerRequest(Guid.NewGuid(), world.Name("late"), WireGuardKey.CreatePair().PublicKey, "100.64.0.2/32");
        Assert.NotNull((await server.AddPeer(late)).Grant);
        var after = await server.Describe();

        Assert.Equal(before!.Peers.Select(p => p.SessionId).Append(late.SessionId).Order(), after!.Peers.Select(p => p.SessionId).Order());
        // The new activation's change is of an epoch the node does not hold: it asks for the whole state.
        Assert.True(agent.Last.Epoch > epoch);
        Assert.Equal(applied, agent.ChangesApplied);
        Assert.Equal(users.Count + 1, agent.Last.Containers.Length);
    }

    [Fact]
    public async Task A_push_rejected_unsent_is_sent_again_and_one_rejected_three_times_refuses_only_that_connect()
    {
        var (_, agent) = await world.Server("node");
        agent.RejectNext = 2;
        var once = await (await world.User("once")).Connect(TestWorld.Request());
        agent.RejectNext = 3;
        var thrice = await (await world.User("thrice")).Connect(TestWorld.Request());
        var next = await (await world.User("next")).Connect(TestWorld.Request());

        Assert.Equal(ConnectStatus.Connected, once.Status);
        Assert.Equal(ConnectStatus.NoServerAvailable, thrice.Status);
        Assert.Equal(ConnectStatus.Connected, next.Status);
    }

    [Fact]
    public async Task A_container_start_holds_up_no_heartbeat_view_or_session_check_of_its_server_and_its_peer_shows_once_granted()
    {
        var (serverId, agent) = await world.Server("node");
        var server = fixture.Client.GetGrain<IServerGrain>(serverId);
        agent.Delay = TimeSpan.FromSeconds(4);
        var asked = agent.Convergences;
        var connecting = (await world.User("slow")).Connect(TestWorld.Request());
        await TestWorld.Until(() => agent.Convergences > asked, TimeSpan.FromSeconds(5));

        // Each would wait out the node's four seconds if the server waited on it in its turn.
        var answeredBy = TimeSpan.FromSeconds(2);
        var whileStarting = await server.Describe().WaitAsync(answeredBy);
        await world.Heartbeat(serverId).WaitAsync(answeredBy);
        await server.GetPeerStatus(Guid.NewGuid()).WaitAsync(answeredBy);
        var connected = await connecting;

        Assert.Empty(whileStarting!.Peers);
        Assert.Equal(ConnectStatus.Connected, connected.Status);
        Assert.Equal(connected.Session!.SessionId, Assert.Single((await server.Describe())!.Peers).SessionId);
    }

    [Fact]
    public async Task A_peer_no_session_owns_gives_up_its_address_to_a_session_of_its_user_that_asks_for_it()
    {
        var (serverId, _) = await world.Server("node");
        var server = fixture.Client.GetGrain<IServerGrain>(serverId);
        var user = world.Name("orphan");
        // Peers of sessions that never wrote a start, as when a silo dies between a peer's grant and its session's first write.
        var orphan = new PeerRequest(Guid.NewGuid(), user, WireGuardKey.CreatePair().PublicKey, "100.64.0.2/32");
        var taker = orphan with { SessionId = Guid.NewGuid(), ClientPublicKey = WireGuardKey.CreatePair().PublicKey };

        Assert.NotNull((await server.AddPeer(orphan)).Grant);
        var taken = await server.AddPeer(taker);

        Assert.NotNull(taken.Grant);
        Assert.Equal(taker.SessionId, Assert.Single((await server.Describe())!.Peers).SessionId);
    }
}
