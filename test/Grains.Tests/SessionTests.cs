using OrleansWg.Grains.Sessions;

namespace OrleansWg.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SessionTests(ClusterFixture fixture)
{
    private readonly TestWorld world = new(fixture.Client);

    [Fact]
    public async Task A_start_writes_the_session_once_a_server_grants_its_peer_with_every_server_it_asked()
    {
        var (first, firstAgent) = await world.Server("first");
        var (second, secondAgent) = await world.Server("second", load: 1);
        firstAgent.FailWith = "its dockerd is gone";
        secondAgent.Delay = TimeSpan.FromSeconds(2);
        var asked = secondAgent.Convergences;
        var request = TestWorld.Request();
        var connecting = (await world.User("wal")).Connect(request);
        var sessionId = fixture.Client.GetGrain<ISessionGrain>(SessionIds.ForConnect(world.Name("wal"), request.IdempotencyKey)).GetGrainId();

        await TestWorld.Until(() => secondAgent.Convergences > asked, TimeSpan.FromSeconds(5));
        var whileAsking = await fixture.Stored<SessionState>("session", sessionId);
        Assert.Equal(second, (await connecting).Session!.ServerId);
        var granted = await fixture.Stored<SessionState>("session", sessionId);

        Assert.Null(whileAsking?.User);
        Assert.Equal(SessionStatus.Active, granted!.Status);
        Assert.Equal([first, second], granted.ServersTried);
        // The first server's node refused the new peer: the server removed it again.
        Assert.Empty((await fixture.Client.GetGrain<IServerGrain>(first).Describe())!.Peers);
    }

    [Fact]
    public async Task Disconnect_removes_the_peer_the_container_lingers_without_peers_and_a_second_disconnect_does_nothing()
    {
        var (_, agent) = await world.Server("node");
        var user = await world.User("nina");
        var sessionId = (await user.Connect(TestWorld.Request())).Session!.SessionId;
        var session = fixture.Client.GetGrain<ISessionGrain>(sessionId);

        await session.Close(CloseReason.Client);
        var convergencesAfterFirst = agent.Convergences;
        await session.Close(CloseReason.Admin);

        var view = (await session.Describe())!;
        Assert.Equal(SessionStatus.Closed, view.Status);
        Assert.Equal(CloseReason.Client, view.CloseReason);
        Assert.Empty(Assert.Single(agent.Last!.Containers).Peers);
        Assert.Equal(convergencesAfterFirst, agent.Convergences);
    }

    [Fact]
    public async Task Only_the_token_handed_out_at_connect_authorizes_the_session()
    {
        await world.Server("node");
        var user = await world.User("olga");
        var config = (await user.Connect(TestWorld.Request())).Session!;
        var session = fixture.Client.GetGrain<ISessionGrain>(config.SessionId);

        Assert.True(await session.Authorize(config.SessionToken));
        Assert.False(await session.Authorize(config.SessionToken + "x"));
        Assert.False(await fixture.Client.GetGrain<ISessionGrain>(Guid.NewGuid()).Authorize(config.SessionToken));
    }

    [Fact]
    public async Task Deleting_a_user_closes_all_their_sessions()
    {
        var (_, agent) = await world.Server("node");
        var user = await world.User("paul");
        var first = (await user.Connect(TestWorld.Request())).Session!.SessionId;
        var second = (await user.Connect(TestWorld.Request())).Session!.SessionId;

        Assert.True(await user.Delete());

        foreach (var sessionId in new[] { first, second })
        {
            var view = (await fixture.Client.GetGrain<ISessionGrain>(sessionId).Describe())!;
            Assert.Equal((SessionStatus.Closed, CloseReason.UserDeleted), (view.Status, view.CloseReason));
        }

        Assert.Empty(agent.PeersOf(world.Name("paul")));
        Assert.Null(await user.Describe());
    }
}
