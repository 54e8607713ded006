namespace OrleansWg.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class BandwidthLimitTests(ClusterFixture fixture)
{
    private readonly TestWorld world = new(fixture.Client);

    [Fact]
    public async Task A_user_s_limit_goes_to_their_live_peer_and_over_the_group_s_in_each_direction_it_sets()
    {
        var (_, agent) = await world.Server("a");
        var user = await world.User("lim");
        var started = (await user.Connect(TestWorld.Request())).Session!;
        var session = fixture.Client.GetGrain<ISessionGrain>(started.SessionId);

        await fixture.Client.GetGrain<IServerGroupGrain>(world.Group).SetLimit(new BandwidthLimit(20, 10));
        var byGroup = await LimitOnceTold(session);
        await user.SetLimit(new BandwidthLimit(5, null));

        Assert.Equal(new BandwidthLimit(20, 10), byGroup);
        Assert.Equal(new BandwidthLimit(5, 10), Assert.Single(agent.PeersOf(world.Name("lim"))).Limit);
        Assert.Equal(new BandwidthLimit(5, 10), (await session.Describe())!.Limit);
        Assert.Equal(new BandwidthLimit(5, null), (await user.Describe())!.Limit);
    }

    [Fact]
    public async Task A_new_session_starts_with_its_user_s_limit_and_takes_it_along_when_it_moves()
    {
        var (from, _) = await world.Server("a");
        var user = await world.User("mov");
        await user.SetLimit(new BandwidthLimit(null, 3));
        var started = (await user.Connect(TestWorld.Request())).Session!;
        var (_, toAgent) = await world.Server("b");
        await fixture.Client.GetGrain<IServerGrain>(from).SetDraining(true);
        var session = fixture.Client.GetGrain<ISessionGrain>(started.SessionId);

        var firstLimit = (await session.Describe())!.Limit;
        Assert.True(await session.Move(MoveReason.Evacuated));

        Assert.Equal(new BandwidthLimit(null, 3), firstLimit);
        Assert.Equal(new BandwidthLimit(null, 3), Assert.Single(toAgent.PeersOf(world.Name("mov"))).Limit);
    }

    [Fact]
    public async Task Clearing_every_limit_leaves_the_peer_unlimited()
    {
        var (_, agent) = await world.Server("a");
        var user = await world.User("clr");
        await user.SetLimit(new BandwidthLimit(4, 4));
        var started = (await user.Connect(TestWorld.Request())).Session!;

        await user.SetLimit(new BandwidthLimit(null, null));

        Assert.Null(Assert.Single(agent.PeersOf(world.Name("clr"))).Limit);
        Assert.Null((await fixture.Client.GetGrain<ISessionGrain>(started.SessionId).Describe())!.Limit);
        Assert.Null((await user.Describe())!.Limit);
    }

    /// <summary>A server tells its sessions of a group's limit one-way: the session's view follows within moments.</summary>
    private static async Task<BandwidthLimit?> LimitOnceTold(ISessionGrain session)
    {
        await TestWorld.Until(async () => (await session.Describe())!.Limit is not null, TimeSpan.FromSeconds(1));
        return (await session.Describe())!.Limit;
    }
}
