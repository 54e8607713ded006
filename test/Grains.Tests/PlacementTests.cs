namespace OrleansWg.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class PlacementTests(ClusterFixture fixture)
{
    private readonly TestWorld world = new(fixture.Client);

    [Fact]
    public async Task A_user_with_server_permissions_is_placed_only_on_a_permitted_server()
    {
        await world.Server("free", load: 0);
        var (permitted, _) = await world.Server("busy", load: 5);
        var user = await world.User("judy", new ServerPermissions([permitted], []));

        for (var i = 0; i < ClusterFixture.MaxSessionsPerUser; i++)
        {
            Assert.Equal(permitted, (await user.Connect(TestWorld.Request())).Session!.ServerId);
        }
    }

    [Fact]
    public async Task A_server_whose_node_is_stopping_takes_no_new_session_until_its_node_registers_again_and_keeps_its_own()
    {
        var (restarting, _) = await world.Server("restarting", load: 0);
        var (other, _) = await world.Server("other", load: 3);
        var kept = (await (await world.User("mia")).Connect(TestWorld.Request())).Session!;
        var directory = fixture.Client.GetGrain<IServerDirectoryGrain>(0);

        await world.Leave(restarting);
        var whileAway = (await (await world.User("noa")).Connect(TestWorld.Request())).Session!;
        var awayInDirectory = (await directory.List()).Single(server => server.Id == restarting).Draining;
        await world.Heartbeat(restarting);

        Assert.Equal((restarting, other), (kept.ServerId, whileAway.ServerId));
        Assert.True(awayInDirectory);
        Assert.False((await directory.List()).Single(server => server.Id == restarting).Draining);
        Assert.Contains((await fixture.Client.GetGrain<IServerGrain>(restarting).Describe())!.Peers, peer => peer.SessionId == kept.SessionId);
    }

    [Fact]
    public async Task Asking_for_a_server_that_is_not_permitted_is_refused()
    {
        var (permitted, _) = await world.Server("mine");
        var (other, _) = await world.Server("other", group: world.Name("elsewhere"));
        var user = await world.User("ken", new ServerPermissions([permitted], []));

        var result = await user.Connect(TestWorld.Request(server: other));

        Assert.Equal(ConnectStatus.ServerNotPermitted, result.Status);
    }

    [Fact]
    public async Task A_user_without_permissions_goes_to_the_least_loaded_generic_server()
    {
        await world.Server("loaded", group: ServerPermissions.GenericGroup, load: 4);
        var (light, _) = await world.Server("light", group: ServerPermissions.GenericGroup, load: 1);
        await world.Server("private", load: 0);
        var user = await world.User("leo", ServerPermissions.None);

        var result = await user.Connect(TestWorld.Request());

        Assert.Equal(light, result.Session!.ServerId);
    }

    [Fact]
    public async Task A_user_whose_container_lingers_goes_back_to_its_server_while_that_is_within_the_slack_of_the_least_loaded()
    {
        var (home, _) = await world.Server("home", capacity: 100, load: 5);
        await world.Server("other", capacity: 100, load: 1);
        var user = await world.User("nora");
        var first = (await user.Connect(TestWorld.Request(server: home))).Session!;
        await fixture.Client.GetGrain<ISessionGrain>(first.SessionId).Close(CloseReason.Client);
        await TestWorld.Until(async () => (await user.Describe())!.Sessions.Length == 0, TimeSpan.FromSeconds(10));

        var again = await user.Connect(TestWorld.Request());

        Assert.Equal(home, again.Session!.ServerId);
    }

    [Fact]
    public async Task A_full_server_is_skipped_and_with_none_left_the_connect_gets_no_server_available()
    {
        var (small, _) = await world.Server("small", capacity: 1);
        var user = await world.User("mia", new ServerPermissions([small], []));

        var first = await user.Connect(TestWorld.Request());
        var second = await user.Connect(TestWorld.Request());

        Assert.Equal(ConnectStatus.Connected, first.Status);
        Assert.Equal(ConnectStatus.NoServerAvailable, second.Status);
    }
}
