namespace OrleansWg.Grains.Tests;

/// <summary>Fresh names and registered test nodes, so that no two tests share a grain.</summary>
public sealed class TestWorld(IClusterClient client)
{
    public const string Password = "correct horse battery";

    private readonly string prefix = Guid.NewGuid().ToString("N")[..8];

    // Orleans holds an observer only weakly: without these, a collection in mid-test would leave
    // a server grain calling an agent that is gone, until its node call times out.
    private readonly List<RecordingNodeAgent> agents = [];

    private readonly Dictionary<string, (NodeRegistration Registration, INodeAgent Agent)> nodes = [];

    /// <summary>A group of this test's own, so its servers never mix with another test's.</summary>
    public string Group => $"g-{prefix}";

    public string Name(string what) => $"{what}-{prefix}";

    public async Task<IUserGrain> User(string name, ServerPermissions? permissions = null)
    {
        var user = client.GetGrain<IUserGrain>(Name(name));
        Assert.True(await user.Create(Password));
        await user.SetPermissions(permissions ?? new ServerPermissions([], [Group]));
        return user;
    }

    public async Task<(string Id, RecordingNodeAgent Agent)> Server(
        string name, string? group = null, int capacity = 10, int load = 0)
    {
        var id = Name(name);
        var agent = new RecordingNodeAgent();
        agents.Add(agent);
        var registration = new NodeRegistration("198.18.5.1", capacity, 51000, 51099, "100.64.0.0/10", group ?? Group);
        nodes[id] = (registration, client.CreateObjectReference<INodeAgent>(agent));
        await client.GetGrain<IServerGrain>(id).Configure(new ServerSettings(registration.Group, capacity, registration.PublicAddress));
        await Heartbeat(id);
        for (var i = 0; i < load; i++)
        {
            var peer = new PeerRequest(Guid.NewGuid(), Name("load"), WireGuardKey.CreatePair().PublicKey, $"100.64.0.{i + 2}/32");
            Assert.NotNull((await client.GetGrain<IServerGrain>(id).AddPeer(peer)).Grant);
        }

        return (id, agent);
    }

    /// <summary>Registers a server's node again, as its heartbeat does.</summary>
    public Task Heartbeat(string serverId) =>
        client.GetGrain<IServerGrain>(serverId).Register(nodes[serverId].Registration, nodes[serverId].Agent, null);

    /// <summary>Tells the server its node is stopping, as a NodeHost does when it stops.</summary>
    public Task Leave(string serverId) => client.GetGrain<IServerGrain>(serverId).Leave(nodes[serverId].Agent);

    /// <summary>Waits, a tenth of a second at a time, until <paramref name="done"/> holds or <paramref name="within"/> has passed.</summary>
    public static async Task Until(Func<Task<bool>> done, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await done() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    public static Task Until(Func<bool> done, TimeSpan within) => Until(() => Task.FromResult(done()), within);

    /// <summary>The client address logins come from, unless a test says otherwise.</summary>
    public const string Source = "198.18.0.9";

    public static ConnectRequest Request(string password = Password, string? server = null, string source = Source) =>
        new(password, WireGuardKey.CreatePair().PublicKey, server, Guid.NewGuid().ToString("N"), source);
}
