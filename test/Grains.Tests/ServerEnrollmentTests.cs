namespace OrleansWg.Grains.Tests;

/// <summary>A node takes part only as a server an admin has made, and is placed by what the admin set, whatever it says of itself.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ServerEnrollmentTests(ClusterFixture fixture)
{
    private readonly TestWorld world = new(fixture.Client);

    private readonly RecordingNodeAgent agent = new();

    [Fact]
    public async Task A_node_whose_server_no_admin_made_is_refused_and_so_is_a_server_without_a_capacity_or_an_address()
    {
        var server = fixture.Client.GetGrain<IServerGrain>(world.Name("unmade"));
        var registration = new NodeRegistration("198.18.5.1", 10, 51000, 51099, "100.64.0.0/10", world.Group);

        var refused = await Record.ExceptionAsync(() => server.Register(registration, Reference(), null));
        var withoutAddress = await server.Configure(new ServerSettings(world.Group, Capacity: 10, PublicAddress: null));
        var stillRefused = await Record.ExceptionAsync(() => server.Register(registration, Reference(), null));

        Assert.IsType<ServerNotEnrolledException>(refused);
        Assert.Equal(ServerConfigured.Incomplete, withoutAddress);
        Assert.IsType<ServerNotEnrolledException>(stillRefused);
    }

    [Fact]
    public async Task The_WireGuard_a_node_runs_is_shown_in_its_view_and_one_the_cluster_does_not_know_is_refused()
    {
        var id = world.Name("wireguard");
        var server = fixture.Client.GetGrain<IServerGrain>(id);
        await server.Configure(new ServerSettings(world.Group, Capacity: 1, PublicAddress: "198.18.5.1"));
        var registration = new NodeRegistration("198.18.5.1", 1, 51000, 51099, "100.64.0.0/10", world.Group, WireGuard: "kernel");

        await server.Register(registration, Reference(), null);
        var unknown = await Record.ExceptionAsync(() => server.Register(registration with { WireGuard = "ebpf" }, Reference(), null));

        Assert.Equal("kernel", (await server.Describe())!.Registration.WireGuard);
        Assert.IsType<ArgumentException>(unknown);
    }

    [Fact]
    public async Task A_node_that_claims_another_group_a_huge_capacity_and_another_address_is_placed_by_what_the_admin_set()
    {
        var id = world.Name("claims");
        var server = fixture.Client.GetGrain<IServerGrain>(id);
        var made = await server.Configure(new ServerSettings(world.Group, Capacity: 1, PublicAddress: "198.18.5.1"));
        await server.Register(new NodeRegistration("198.18.5.99", 100_000, 51000, 51099, "100.64.0.0/10", world.Name("other")), Reference(), null);
        var anna = await world.User("anna");
        var bob = await world.User("bob");

        var first = await anna.Connect(TestWorld.Request());
        var second = await bob.Connect(TestWorld.Request());

        Assert.Equal(ServerConfigured.Created, made);
        Assert.Equal(id, first.Session!.ServerId);
        Assert.StartsWith("198.18.5.1:", first.Session.Endpoint, StringComparison.Ordinal);
        Assert.Equal(ConnectStatus.NoServerAvailable, second.Status);
        Assert.Equal((world.Group, 1), ((await server.Describe())!.Registration.Group, (await server.Describe())!.Registration.Capacity));
    }

    private INodeAgent Reference() => fixture.Client.CreateObjectReference<INodeAgent>(agent);
}
