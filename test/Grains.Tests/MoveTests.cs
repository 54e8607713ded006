namespace OrleansWg.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class MoveTests(ClusterFixture fixture)
{
    private readonly TestWorld world = new(fixture.Client);

    [Fact]
    public async Task A_moved_session_keeps_its_client_key_and_address_on_the_new_server_and_leaves_the_old_one()
    {
        var (from, fromAgent) = await world.Server("a");
        var user = await world.User("mona");
        var request = TestWorld.Request();
        var started = (await user.Connect(request)).Session!;
        var (to, toAgent) = await world.Server("b");
        await fixture.Client.GetGrain<IServerGrain>(from).SetDraining(true);
        var session = fixture.Client.GetGrain<ISessionGrain>(started.SessionId);

        var moved = await session.Move(MoveReason.Evacuated);

        var view = (await session.Describe())!;
        Assert.True(moved);
        Assert.Equal(started.ServerId, from);
        Assert.Equal((to, started.Address, 2L), (view.ServerId!, view.Address!, view.Revision));
        Assert.Equal(new DesiredPeer(request.ClientPublicKey!, started.Address), Assert.Single(toAgent.PeersOf(world.Name("mona"))));
        Assert.Empty(fromAgent.PeersOf(world.Name("mona")));
        var move = Assert.Single(view.Moves);
        Assert.Equal((from, to, MoveReason.Evacuated), (move.From, move.To, move.Reason));
        Assert.Equal(toAgent.InterfaceKeyOf(world.Name("mona")), view.ServerPublicKey);
        Assert.Contains(fixture.Audit.Events, e => e.Kind == AuditKinds.Move && e.SessionId == started.SessionId && e.ServerId == to);
    }

    [Fact]
    public async Task A_session_that_no_other_permitted_server_takes_stays_where_it_is()
    {
        var (only, agent) = await world.Server("only");
        await world.Server("forbidden", group: "someone-elses");
        var user = await world.User("nina");
        var started = (await user.Connect(TestWorld.Request())).Session!;
        var session = fixture.Client.GetGrain<ISessionGrain>(started.SessionId);

        var moved = await session.Move(MoveReason.NodeDown);

        var view = (await session.Describe())!;
        Assert.False(moved);
        Assert.Equal((only, 1L, SessionStatus.Active), (view.ServerId!, view.Revision, view.Status));
        Assert.Empty(view.Moves);
        Assert.Single(agent.PeersOf(world.Name("nina")));
    }

    [Fact]
    public async Task Users_get_blocks_of_their_own_and_each_session_of_a_user_an_address_of_its_own()
    {
        await world.Server("node");
        var olga = await world.User("olga");
        var paul = await world.User("paul");

        var addresses = new List<string>();
        foreach (var user in new[] { olga, olga, olga, paul })
        {
            addresses.Add((await user.Connect(TestWorld.Request())).Session!.Address);
        }

        Assert.Equal(4, addresses.Distinct().Count());
        Assert.Single(addresses.Take(3).Select(Block).Distinct());
        Assert.NotEqual(Block(addresses[0]), Block(addresses[3]));
    }

    [Fact]
    public async Task A_late_notice_that_a_failed_start_ended_leaves_the_session_started_again_its_address()
    {
        var (_, agent) = await world.Server("node");
        var user = await world.User("quinn");
        var request = TestWorld.Request();
        agent.FailWith = "the node's dockerd is down";
        var failed = await user.Connect(request);
        agent.FailWith = null;
        var restarted = (await user.Connect(request)).Session!;

        await user.SessionEnded(restarted.SessionId);
        var next = (await user.Connect(TestWorld.Request())).Session!;

        Assert.Equal(ConnectStatus.NoServerAvailable, failed.Status);
        Assert.NotEqual(restarted.Address, next.Address);
    }

    [Fact]
    public async Task A_peer_asked_for_again_with_another_address_takes_the_new_one()
    {
        var (serverId, agent) = await world.Server("node");
        var server = fixture.Client.GetGrain<IServerGrain>(serverId);
        var first = new PeerRequest(Guid.NewGuid(), world.Name("rita"), WireGuardKey.CreatePair().PublicKey, "100.64.0.2/32");

        await server.AddPeer(first);
        var again = await server.AddPeer(first with { Address = "100.64.0.3/32" });

        Assert.Equal("100.64.0.3/32", again.Grant!.Address);
        Assert.Equal("100.64.0.3/32", Assert.Single(agent.PeersOf(world.Name("rita"))).AllowedIp);
    }

    private static string Block(string address) => address[..address.LastIndexOf('.')];
}
