using OrleansWg.Grains.Sessions;

namespace OrleansWg.Grains.Tests;

/// <summary>A connect repeated with the same idempotency key, as the Gateway and owg repeat one after an unknown outcome.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IdempotentConnectTests(ClusterFixture fixture)
{
    private readonly TestWorld world = new(fixture.Client);

    [Fact]
    public async Task The_same_key_comes_to_the_same_session_and_peer_with_a_new_token_and_the_earlier_tokens_stay_valid()
    {
        var (_, agent) = await world.Server("node");
        var user = await world.User("repeat");
        var request = TestWorld.Request();

        var first = (await user.Connect(request)).Session!;
        var again = (await user.Connect(request)).Session!;

        Assert.Equal(first with { SessionToken = again.SessionToken }, again);
        Assert.NotEqual(first.SessionToken, again.SessionToken);
        Assert.Single(agent.PeersOf(world.Name("repeat")));
        Assert.Single((await user.Describe())!.Sessions);
        var session = fixture.Client.GetGrain<ISessionGrain>(first.SessionId);
        Assert.True(await session.Authorize(first.SessionToken));
        Assert.True(await session.Authorize(again.SessionToken));
    }

    [Fact]
    public async Task Of_the_tokens_one_key_got_the_newest_four_are_valid()
    {
        await world.Server("node");
        var user = await world.User("retrier");
        var request = TestWorld.Request();

        var tokens = new List<string>();
        for (var attempt = 0; attempt < 6; attempt++)
        {
            tokens.Add((await user.Connect(request)).Session!.SessionToken);
        }

        var session = fixture.Client.GetGrain<ISessionGrain>(SessionIds.ForConnect(world.Name("retrier"), request.IdempotencyKey));
        var valid = await Task.WhenAll(tokens.Select(session.Authorize));
        Assert.Equal([false, false, true, true, true, true], valid);
    }

    [Fact]
    public async Task An_attempt_given_up_while_it_waits_behind_another_leaves_the_queue_and_starts_no_session()
    {
        var (_, agent) = await world.Server("node");
        var user = await world.User("gaveup");
        // Longer than Orleans' three cancellation retries a second apart, which a slow machine may need.
        agent.Delay = TimeSpan.FromSeconds(4);
        var running = user.Connect(TestWorld.Request());
        await TestWorld.Until(() => agent.Convergences > 0, TimeSpan.FromSeconds(3));
        var waiting = TestWorld.Request();
        using var givenUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => user.Connect(waiting, givenUp.Token));

        Assert.Equal(ConnectStatus.Connected, (await running).Status);
        // Describe queues behind any connect still in the user grain's queue.
        Assert.Single((await user.Describe())!.Sessions);
        Assert.Null(await fixture.Client.GetGrain<ISessionGrain>(SessionIds.ForConnect(world.Name("gaveup"), waiting.IdempotencyKey)).Describe());
    }

    [Fact]
    public async Task A_repeated_connect_is_not_counted_against_the_session_limit()
    {
        await world.Server("node");
        var user = await world.User("atlimit");
        var requests = Enumerable.Range(0, ClusterFixture.MaxSessionsPerUser).Select(_ => TestWorld.Request()).ToList();
        foreach (var request in requests)
        {
            Assert.Equal(ConnectStatus.Connected, (await user.Connect(request)).Status);
        }

        Assert.Equal(ConnectStatus.Connected, (await user.Connect(requests[0])).Status);
    }

    [Fact]
    public async Task A_key_reused_with_another_client_key_or_after_the_session_ended_is_a_conflict()
    {
        await world.Server("node");
        var user = await world.User("reuser");
        var request = TestWorld.Request();
        var session = (await user.Connect(request)).Session!;

        var otherKey = await user.Connect(request with { ClientPublicKey = WireGuardKey.CreatePair().PublicKey });
        await fixture.Client.GetGrain<ISessionGrain>(session.SessionId).Close(CloseReason.Client);
        var afterEnd = await user.Connect(request);

        Assert.Equal(ConnectStatus.Conflict, otherKey.Status);
        Assert.Equal(ConnectStatus.Conflict, afterEnd.Status);
    }

    [Fact]
    public async Task A_failed_start_may_be_tried_again_with_the_same_key()
    {
        var (_, agent) = await world.Server("node");
        var user = await world.User("retrier");
        var request = TestWorld.Request();
        agent.FailWith = "a passing node fault";

        var failed = await user.Connect(request);
        agent.FailWith = null;
        var retried = await user.Connect(request);

        Assert.Equal(ConnectStatus.NoServerAvailable, failed.Status);
        Assert.Equal(ConnectStatus.Connected, retried.Status);
        Assert.Single(agent.PeersOf(world.Name("retrier")));
    }
}
