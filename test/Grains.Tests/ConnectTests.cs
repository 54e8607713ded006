using OrleansWg.Grains.Sessions;

namespace OrleansWg.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ConnectTests(ClusterFixture fixture)
{
    private readonly TestWorld world = new(fixture.Client);

    [Fact]
    public async Task Connect_with_the_right_password_adds_the_clients_key_as_a_peer_and_returns_its_config()
    {
        var (serverId, agent) = await world.Server("node");
        var user = await world.User("alice");
        var request = TestWorld.Request();

        var result = await user.Connect(request);

        Assert.Equal(ConnectStatus.Connected, result.Status);
        var session = result.Session!;
        Assert.Equal(serverId, session.ServerId);
        Assert.Equal("198.18.5.1:51000", session.Endpoint);
        Assert.Matches(@"^100\.\d+\.\d+\.2/32$", session.Address);
        Assert.Equal(agent.InterfaceKeyOf(world.Name("alice")), session.ServerPublicKey);
        Assert.Null(session.ClientPrivateKey);
        var peer = Assert.Single(agent.PeersOf(world.Name("alice")));
        Assert.Equal(new DesiredPeer(request.ClientPublicKey!, session.Address), peer);
        Assert.Equal<SessionPlacement>([new SessionPlacement(session.SessionId, serverId)], (await user.Describe())!.Sessions);
    }

    [Fact]
    public async Task Connect_without_a_client_key_returns_a_server_made_private_key_that_matches_the_peer()
    {
        var (_, agent) = await world.Server("node");
        var user = await world.User("bob");

        var result = await user.Connect(new ConnectRequest(TestWorld.Password, null, null, Guid.NewGuid().ToString("N"), TestWorld.Source));

        var publicKey = WireGuardKey.PublicKeyOf(result.Session!.ClientPrivateKey!);
        Assert.Equal(publicKey, Assert.Single(agent.PeersOf(world.Name("bob"))).PublicKey);
    }

    [Fact]
    public async Task Connect_with_a_wrong_password_is_refused_and_creates_no_session()
    {
        var (_, agent) = await world.Server("node");
        var user = await world.User("carol");

        var result = await user.Connect(TestWorld.Request("wrong password"));

        Assert.Equal(ConnectStatus.InvalidCredentials, result.Status);
        Assert.Null(result.Session);
        Assert.Empty((await user.Describe())!.Sessions);
        Assert.Equal(0, agent.Convergences);
    }

    [Fact]
    public async Task Connect_as_an_unknown_user_is_refused_exactly_like_a_wrong_password()
    {
        var known = await world.User("dave");
        var unknown = fixture.Client.GetGrain<IUserGrain>(world.Name("nobody"));

        var wrongPassword = await known.Connect(TestWorld.Request("wrong password"));
        var noSuchUser = await unknown.Connect(TestWorld.Request());

        Assert.Equal(wrongPassword with { }, noSuchUser);
        Assert.Null(await unknown.Describe());
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_that_address_out_even_against_the_right_one_but_not_another_address()
    {
        await world.Server("node");
        var user = await world.User("eve");

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            Assert.Equal(ConnectStatus.InvalidCredentials, (await user.Connect(TestWorld.Request("wrong password", source: "198.18.7.7"))).Status);
        }

        var locked = await user.Connect(TestWorld.Request(source: "198.18.7.7"));
        var elsewhere = await user.Connect(TestWorld.Request());

        Assert.Equal(ConnectStatus.LockedOut, locked.Status);
        Assert.InRange(locked.RetryAfter!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.Equal(ConnectStatus.Connected, elsewhere.Status);
        Assert.Equal("198.18.7.7", Assert.Single((await user.Describe())!.Lockouts).Source);
    }

    [Fact]
    public async Task A_guesser_rotating_ipv6_prefixes_is_locked_out_of_the_user_who_still_connects_from_its_own_address()
    {
        await world.Server("node", capacity: 40);
        var user = await world.User("hal");
        Assert.Equal(ConnectStatus.Connected, (await user.Connect(TestWorld.Request())).Status);

        for (var prefix = 0; prefix < 20; prefix++)
        {
            Assert.Equal(ConnectStatus.InvalidCredentials, (await user.Connect(TestWorld.Request("wrong password", source: $"2001:2:0:{prefix:x}::/64"))).Status);
        }

        var guesser = await user.Connect(TestWorld.Request(source: "2001:2:0:ff::/64"));
        var own = await user.Connect(TestWorld.Request());

        Assert.Equal(ConnectStatus.LockedOut, guesser.Status);
        Assert.Equal(ConnectStatus.Connected, own.Status);
        Assert.NotNull((await user.Describe())!.NewSourcesLockedUntil);
    }

    [Fact]
    public async Task A_made_up_user_answers_like_a_real_one_through_six_wrong_passwords()
    {
        var real = await world.User("ivy");
        var madeUp = fixture.Client.GetGrain<IUserGrain>(world.Name("nobody"));

        for (var attempt = 1; attempt <= 6; attempt++)
        {
            var fromReal = await real.Connect(TestWorld.Request("wrong password"));
            var fromMadeUp = await madeUp.Connect(TestWorld.Request("wrong password"));

            Assert.Equal(fromReal with { RetryAfter = null }, fromMadeUp with { RetryAfter = null });
            Assert.Equal(fromReal.RetryAfter.HasValue, fromMadeUp.RetryAfter.HasValue);
        }

        Assert.Equal(ConnectStatus.LockedOut, (await madeUp.Connect(TestWorld.Request())).Status);
        Assert.Null(await madeUp.Describe());
    }

    [Fact]
    public async Task A_new_password_set_by_an_admin_lifts_the_lockout()
    {
        await world.Server("node");
        var user = await world.User("frank");
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await user.Connect(TestWorld.Request("wrong password"));
        }

        await user.SetPassword("a new password");

        Assert.Equal(ConnectStatus.Connected, (await user.Connect(TestWorld.Request("a new password"))).Status);
    }

    [Fact]
    public async Task A_new_password_ends_the_users_sessions_as_credentials_changed()
    {
        var (_, agent) = await world.Server("node");
        var user = await world.User("gina");
        var session = (await user.Connect(TestWorld.Request())).Session!;

        await user.SetPassword("a new password");

        var view = (await fixture.Client.GetGrain<ISessionGrain>(session.SessionId).Describe())!;
        Assert.Equal((SessionStatus.Closed, CloseReason.CredentialsChanged), (view.Status, view.CloseReason));
        Assert.Empty(agent.PeersOf(world.Name("gina")));
    }

    [Fact]
    public async Task An_admins_lock_ends_the_sessions_and_refuses_the_right_password_until_unlocked()
    {
        await world.Server("node");
        var user = await world.User("hank");
        var session = (await user.Connect(TestWorld.Request())).Session!;

        Assert.True(await user.SetLocked(true));
        var whileLocked = await user.Connect(TestWorld.Request());
        await user.SetLocked(false);

        Assert.Equal(CloseReason.CredentialsChanged, (await fixture.Client.GetGrain<ISessionGrain>(session.SessionId).Describe())!.CloseReason);
        Assert.Equal(ConnectStatus.LockedByAdmin, whileLocked.Status);
        Assert.Equal(ConnectStatus.Connected, (await user.Connect(TestWorld.Request())).Status);
    }

    [Fact]
    public async Task Connect_beyond_the_session_limit_is_refused_until_a_session_ends()
    {
        await world.Server("node");
        var user = await world.User("grace");
        var sessions = new List<Guid>();
        for (var i = 0; i < ClusterFixture.MaxSessionsPerUser; i++)
        {
            sessions.Add((await user.Connect(TestWorld.Request())).Session!.SessionId);
        }

        var refused = await user.Connect(TestWorld.Request());
        await fixture.Client.GetGrain<ISessionGrain>(sessions[0]).Close(CloseReason.Client);
        var afterClose = await user.Connect(TestWorld.Request());

        Assert.Equal(ConnectStatus.SessionLimitReached, refused.Status);
        Assert.Equal(ConnectStatus.Connected, afterClose.Status);
    }

    [Fact]
    public async Task A_second_session_of_a_user_joins_the_same_container_with_the_next_address()
    {
        var (_, agent) = await world.Server("node");
        var user = await world.User("heidi");

        var first = (await user.Connect(TestWorld.Request())).Session!;
        var second = (await user.Connect(TestWorld.Request())).Session!;

        Assert.Equal(first.Endpoint, second.Endpoint);
        Assert.Equal(first.ServerPublicKey, second.ServerPublicKey);
        Assert.Equal(first.Address.Replace(".2/32", ".3/32"), second.Address);
        Assert.Single(agent.Last!.Containers);
        Assert.Equal(2, agent.PeersOf(world.Name("heidi")).Length);
    }

    [Fact]
    public async Task Asking_twice_for_one_sessions_peer_grants_the_same_peer_again()
    {
        var (serverId, agent) = await world.Server("node");
        var server = fixture.Client.GetGrain<IServerGrain>(serverId);
        var request = new PeerRequest(Guid.NewGuid(), world.Name("judith"), WireGuardKey.CreatePair().PublicKey, "100.64.0.2/32");

        var first = (await server.AddPeer(request)).Grant;
        var again = (await server.AddPeer(request)).Grant;

        Assert.Equal(first, again);
        Assert.Single(agent.PeersOf(world.Name("judith")));
    }

    [Fact]
    public async Task A_failing_node_gives_the_user_no_server_available_and_the_admin_the_cause_and_leaves_nothing_desired()
    {
        var (serverId, agent) = await world.Server("node");
        agent.FailWith = "image owg/session is missing";
        var user = await world.User("ivan");
        var request = TestWorld.Request();

        var result = await user.Connect(request);

        Assert.Equal(ConnectStatus.NoServerAvailable, result.Status);
        Assert.DoesNotContain("owg/session", result.Detail);
        var session = await fixture.Client.GetGrain<ISessionGrain>(SessionIds.ForConnect(world.Name("ivan"), request.IdempotencyKey)).Describe();
        Assert.Contains("image owg/session is missing", session!.FailureCause);
        Assert.Empty((await fixture.Client.GetGrain<IServerGrain>(serverId).Describe())!.Peers);
        Assert.Empty((await user.Describe())!.Sessions);
    }
}
