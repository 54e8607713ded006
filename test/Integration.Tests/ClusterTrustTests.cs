using System.Collections.Immutable;
using System.Net.Http.Json;
using System.Text;
using Xunit.Abstractions;

namespace OrleansWg.Integration.Tests;

/// <summary>Who may join the cluster and what a member may do there, tried as an attacker would.</summary>
public sealed class ClusterTrustTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Without_a_certificate_or_with_one_from_another_CA_a_process_cannot_join()
    {
        await using var plane = await ControlPlane.StartAsync();
        using var stranger = Pki.Create();
        await stranger.MemberAsync("gateway", "gateway");

        var withoutTls = await Record.ExceptionAsync(async () => await (await ClusterMember.JoinAsync(plane, tls: null)).DisposeAsync());
        var foreignIdentity = ClusterMember.Identity(stranger, "gateway");
        foreignIdentity.Authority = Path.Combine(plane.Pki.Directory, "ca.pem");
        var foreign = await Record.ExceptionAsync(async () => await (await ClusterMember.JoinAsync(plane, foreignIdentity)).DisposeAsync());

        output.WriteLine($"without TLS: {withoutTls?.GetType().Name}: {withoutTls?.Message}");
        output.WriteLine($"another CA: {foreign?.GetType().Name}: {foreign?.Message}");
        Assert.NotNull(withoutTls);
        Assert.NotNull(foreign);
    }

    [Fact]
    public async Task A_nodes_certificate_from_the_clusters_own_CA_cannot_open_a_link_on_a_silos_port_for_silos()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.Pki.MemberAsync("rogue", "node", "rogue");

        var closed = await TlsPeer.ClosedAfterHandshakeAsync(plane.SiloLinkEndpoint(0), plane.Pki, "rogue", TimeSpan.FromSeconds(10));

        Assert.True(closed, "the silo kept the link open");
        await plane.WaitFor(async () => (await File.ReadAllTextAsync(plane.SiloLog(0))).Contains("Refused a silo-in link"), "the silo to log the refusal");
    }

    [Fact]
    public async Task The_Gateway_sends_nothing_over_a_link_to_a_silo_whose_certificate_names_another_role()
    {
        using var pki = Pki.Create();
        await pki.MemberAsync("gateway", "gateway");
        await pki.MemberAsync("silo", "silo");
        await pki.MemberAsync("rogue", "node", "rogue");
        await using var impostor = TlsPeer.Listen(pki, "rogue");
        await using var silo = TlsPeer.Listen(pki, "silo");

        var toImpostor = await BytesTheGatewaySends(pki, impostor, "impostor");
        var toSilo = await BytesTheGatewaySends(pki, silo, "silo");

        Assert.NotEmpty(toImpostor);
        Assert.All(toImpostor, bytes => Assert.Equal(0, bytes));
        Assert.Contains(toSilo, bytes => bytes > 0);
    }

    [Fact]
    public async Task With_a_nodes_credentials_registering_as_another_server_setting_a_password_or_closing_a_session_is_refused_and_so_is_every_call_without_or_with_a_forged_credential()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.CreateUser("someone");
        var session = await plane.ConnectOk("someone");
        var sessionId = Guid.Parse(session.GetProperty("sessionId").GetString()!);
        await plane.Pki.MemberAsync("rogue", "node", "rogue");
        using var stranger = Pki.Create();
        await stranger.MemberAsync("forger", "gateway");
        await EnrollRogue(plane);

        await using var node = await ClusterMember.JoinAsync(plane, ClusterMember.Identity(plane.Pki, "rogue"));
        var agent = node.Client.CreateObjectReference<INodeAgent>(new SilentAgent());
        var asItself = await Record.ExceptionAsync(() => node.Client.GetGrain<IServerGrain>("rogue").Register(RogueRegistration, agent, null));
        var asAnother = await Record.ExceptionAsync(() => node.Client.GetGrain<IServerGrain>(plane.ServerId).Register(RogueRegistration, agent, null));
        var setPassword = await Record.ExceptionAsync(() => node.Client.GetGrain<IUserGrain>("someone").SetPassword("taken over!"));
        var closeSession = await Record.ExceptionAsync(() => node.Client.GetGrain<ISessionGrain>(sessionId).Close(CloseReason.Admin));

        await using var silent = await ClusterMember.JoinAsync(plane, ClusterMember.Identity(plane.Pki, "rogue"), sendCredential: false);
        var withoutCredential = await Record.ExceptionAsync(() => silent.Client.GetGrain<IUserGrain>("someone").SetPassword("taken over!"));
        await using var forger = await ClusterMember.JoinAsync(plane,
            ClusterMember.Identity(plane.Pki, "rogue", credentialFrom: Path.Combine(stranger.Directory, "forger.credential")));
        var forged = await Record.ExceptionAsync(() => forger.Client.GetGrain<IUserGrain>("someone").SetPassword("taken over!"));

        Assert.Null(asItself);
        Assert.All([asAnother, setPassword, closeSession, withoutCredential, forged], refusal => Assert.IsType<CallerNotAllowedException>(refusal));
        Assert.Equal("active", (await plane.SessionStatus(session)).Status);
        Assert.True((await plane.Connect("someone")).IsSuccessStatusCode, "the old password still works");
    }

    [Fact]
    public async Task A_heartbeat_larger_than_a_silo_reads_is_refused_and_the_silo_goes_on_serving()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.CreateUser("dave");
        await using var node = await JoinAsRogue(plane);
        var agent = node.Client.CreateObjectReference<INodeAgent>(new SilentAgent());
        var key = WireGuardKey.CreatePair().PublicKey;
        // About 30 MiB of made-up containers (each name its own 100 characters), past the silos' 16 MiB
        // (Messaging:MaxMessageBodySize) and within Orleans' own 100 MiB.
        var madeUp = new NodeActualState([.. Enumerable.Range(0, 300_000).Select(i => new ActualContainer($"{i:D8}{new string('x', 92)}", 51000, key, []))]);

        var oversized = await Record.ExceptionAsync(() => node.Client.GetGrain<IServerGrain>("rogue")
            .Register(RogueRegistration, agent, madeUp));

        output.WriteLine($"oversized heartbeat: {oversized?.GetType().Name}: {oversized?.Message}");
        Assert.NotNull(oversized);
        Assert.True((await plane.Connect("dave")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_node_that_floods_its_server_with_heartbeats_is_refused_past_its_rate_and_the_silo_goes_on_serving()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.CreateUser("erin");
        await using var node = await JoinAsRogue(plane);
        var agent = node.Client.CreateObjectReference<INodeAgent>(new SilentAgent());
        var server = node.Client.GetGrain<IServerGrain>("rogue");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Record.ExceptionAsync(() => server.Register(RogueRegistration, agent, null))));

        var taken = outcomes.Count(outcome => outcome is null);
        Assert.InRange(taken, 1, 40);
        Assert.All(outcomes.OfType<Exception>(), refusal => Assert.IsType<HeartbeatsTooFrequentException>(refusal));
        Assert.True((await plane.Connect("erin")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_nodes_observer_never_receives_a_credential_and_no_password_crosses_a_cluster_link_in_the_clear()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.Pki.MemberAsync("rogue", "node", "rogue");
        var canary = $"canary-{Guid.NewGuid():N}";
        var gatewayPort = plane.SiloGateways.Single().Split(':')[1];
        var capture = Path.Combine(Directory.CreateTempSubdirectory("owg-capture-").FullName, "cluster.pcap");
        await using var tcpdump = ChildProcess.Start("tcpdump", ["-i", "lo", "-U", "-w", capture, "tcp", "port", gatewayPort],
            new Dictionary<string, string>(), Repository.LogPath($"{plane.ClusterId}-tcpdump.log"));
        await Task.Delay(TimeSpan.FromSeconds(1));

        await EnrollRogue(plane);
        await using var node = await ClusterMember.JoinAsync(plane, ClusterMember.Identity(plane.Pki, "rogue"));
        var agent = new SilentAgent();
        await node.Client.GetGrain<IServerGrain>("rogue").Register(
            RogueRegistration, node.Client.CreateObjectReference<INodeAgent>(agent), null);
        await plane.CreateUser("observed", canary);
        await plane.Admin.PutAsJsonAsync("/v1/admin/users/observed/permissions", new { servers = Array.Empty<string>(), groups = new[] { "rogue-group" } });
        var connect = await plane.Connect("observed", canary);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await tcpdump.StopAsync(TimeSpan.FromSeconds(5));
        var captured = await File.ReadAllBytesAsync(capture);

        Assert.True(connect.IsSuccessStatusCode, await connect.Content.ReadAsStringAsync());
        Assert.True(agent.Convergences > 0);
        Assert.Null(agent.CredentialSeen);
        Assert.True(captured.Length > 1000, $"the capture holds {captured.Length} bytes");
        Assert.Equal(-1, captured.AsSpan().IndexOf(Encoding.UTF8.GetBytes(canary)));
    }

    private static readonly NodeRegistration RogueRegistration = new("198.18.5.77", 10, 51000, 51099, "100.64.0.0/16", "rogue-group");

    /// <summary>A node of the server "rogue", which an admin made, joined to the plane with its own certificate and credential.</summary>
    private static async Task<ClusterMember> JoinAsRogue(ControlPlane plane)
    {
        await plane.Pki.MemberAsync("rogue", "node", "rogue");
        await EnrollRogue(plane);
        return await ClusterMember.JoinAsync(plane, ClusterMember.Identity(plane.Pki, "rogue"));
    }

    /// <summary>An admin makes the server "rogue", as for any node, so that a node's credential for it may register.</summary>
    private static async Task EnrollRogue(ControlPlane plane) =>
        (await plane.Admin.PutAsJsonAsync("/v1/admin/servers/rogue", new { group = "rogue-group", capacity = 10, publicAddress = "198.18.5.77" }))
            .EnsureSuccessStatusCode();

    /// <summary>What a Gateway whose one silo is <paramref name="peer"/> sends after each handshake, once a link has got that far.</summary>
    private static async Task<int[]> BytesTheGatewaySends(Pki pki, TlsPeer peer, string name)
    {
        var environment = pki.Settings("gateway");
        environment["Cluster__Gateways__0"] = peer.Endpoint;
        environment["Cluster__ClusterId"] = $"owg-{name}";
        environment["Gateway__BootstrapToken"] = "a-bootstrap-token-of-this-test";
        environment["Gateway__SessionSealKeys__0"] = "a-session-seal-key-of-this-test-of-32-characters";
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}";
        await using var gateway = ChildProcess.Start("dotnet", [Repository.Assembly("Gateway")], environment, Repository.LogPath($"gateway-to-{name}.log"));
        for (var attempt = 0; attempt < 120 && peer.BytesAfterHandshake.IsEmpty; attempt++)
        {
            await Task.Delay(250);
        }

        return [.. peer.BytesAfterHandshake];
    }

    /// <summary>A node's agent that runs nothing: it reports every desired container as running, and what a push carried.</summary>
    private sealed class SilentAgent : INodeAgent
    {
        private static readonly string InterfaceKey = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray());

        public int Convergences { get; private set; }

        public object? CredentialSeen { get; private set; }

        public Task<NodeActualState> Converge(DesiredNodeState desired)
        {
            Convergences++;
            CredentialSeen ??= RequestContext.Get(RoleCredential.RequestContextKey);
            return Task.FromResult(new NodeActualState([.. desired.Containers.Select(c => new ActualContainer(c.User, 51000, InterfaceKey, ImmutableArray<ActualPeer>.Empty))]));
        }

        /// <summary>Asks for the whole state every time.</summary>
        public Task<NodeActualState?> ConvergeChange(DesiredNodeChange change)
        {
            CredentialSeen ??= RequestContext.Get(RoleCredential.RequestContextKey);
            return Task.FromResult<NodeActualState?>(null);
        }
    }
}
