namespace OrleansWg.Grains.Tests;

[Collection(AuditingClusterCollection.Name)]
public sealed class ContainerLingerTests(AuditingClusterFixture fixture)
{
    private readonly TestWorld world = new(fixture.Client);

    [Fact]
    public async Task A_user_who_reconnects_within_the_linger_finds_their_container_and_it_goes_once_the_linger_is_over()
    {
        var (_, agent) = await world.Server("node");
        var user = await world.User("back");
        var first = (await user.Connect(TestWorld.Request())).Session!;
        await fixture.Client.GetGrain<ISessionGrain>(first.SessionId).Close(CloseReason.Client);
        var lingering = agent.Last!.Containers.Single(c => c.User == world.Name("back"));

        var second = (await user.Connect(TestWorld.Request())).Session!;
        var port = second.Endpoint;
        await fixture.Client.GetGrain<ISessionGrain>(second.SessionId).Close(CloseReason.Client);
        await TestWorld.Until(() => agent.Last!.Containers.All(c => c.User != world.Name("back")), TimeSpan.FromSeconds(10));

        Assert.Empty(lingering.Peers);
        Assert.Equal(first.Endpoint, port);
        Assert.DoesNotContain(agent.Last!.Containers, c => c.User == world.Name("back"));
    }

    [Fact]
    public async Task A_deleted_users_container_is_removed_at_once_and_does_not_linger()
    {
        var (_, agent) = await world.Server("node");
        var user = await world.User("leaving");
        await user.Connect(TestWorld.Request());

        Assert.True(await user.Delete());

        Assert.DoesNotContain(agent.Last!.Containers, c => c.User == world.Name("leaving"));
    }
}
