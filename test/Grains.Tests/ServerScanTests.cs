namespace OrleansWg.Grains.Tests;

[Collection(ScanningClusterCollection.Name)]
public sealed class ServerScanTests(ScanningClusterFixture fixture)
{
    private readonly TestWorld world = new(fixture.Client);

    [Fact]
    public async Task A_session_whose_peer_is_never_active_is_closed_by_its_server_s_scan_within_the_idle_timeout_and_a_check()
    {
        var (_, agent) = await world.Server("node");
        var user = await world.User("quiet");
        var started = (await user.Connect(TestWorld.Request())).Session!;
        var session = fixture.Client.GetGrain<ISessionGrain>(started.SessionId);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Closing lies between active and closed: the session has yet to remove its peer.
        await TestWorld.Until(async () => (await session.Describe())!.Status is not (SessionStatus.Active or SessionStatus.Closing), TimeSpan.FromSeconds(15));

        var view = (await session.Describe())!;
        Assert.Equal((SessionStatus.Closed, CloseReason.Idle), (view.Status, view.CloseReason));
        // Idle timeout, one scan, and slack for a busy machine: far inside the hour of the sessions' own reminders.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2 + 1 + 5));
        Assert.Empty(agent.PeersOf(world.Name("quiet")));
    }
}
