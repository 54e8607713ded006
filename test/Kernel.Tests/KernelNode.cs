using Docker.DotNet;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansWg.NodeHost;
using OrleansWg.NodeHost.Convergence;
using OrleansWg.NodeHost.Docker;
using OrleansWg.NodeHost.WireGuard;

namespace OrleansWg.Kernel.Tests;

/// <summary>
/// The node's own container code on the kernel's WireGuard, with no control plane: session
/// containers made through Docker and their interfaces set as a convergence sets them. Its public
/// address is on a veth to a client namespace; every container it made and its network go when
/// it is disposed. <see cref="Restart"/> stands for a NodeHost started again: nothing kept in
/// memory, only Docker and the node's state directory.
/// </summary>
public sealed class KernelNode : IAsyncDisposable
{
    public const string PublicAddress = "198.18.42.1";

    private readonly WireGuardNetlink netlink;
    private readonly DockerClient docker;
    private readonly TestNamespace client;
    private PeerTraffic traffic = new(TimeProvider.System);

    private KernelNode(NodeOptions options, WireGuardNetlink netlink, DockerClient docker, TestNamespace client)
    {
        Options = options;
        this.netlink = netlink;
        this.docker = docker;
        this.client = client;
        Containers = MakeContainers();
    }

    public NodeOptions Options { get; }

    public SessionContainers Containers { get; private set; }

    /// <summary>A namespace beyond the node's public address, where a test's WireGuard client runs.</summary>
    public TestNamespace Client => client;

    public static async Task<KernelNode> StartAsync(WireGuardNetlink netlink)
    {
        var options = new NodeOptions
        {
            ServerId = $"k{Guid.NewGuid():N}"[..9],
            PublicAddress = PublicAddress,
            ContainerSubnet = "198.18.43.0/24",
            StateDirectory = Path.Combine(Path.GetTempPath(), "owg-kernel-nodes"),
            ShimCgroup = "",
        };
        var docker = new DockerClientConfiguration(new Uri(options.DockerEndpoint)).CreateClient();
        var client = await TestNamespace.CreateAsync();
        var node = new KernelNode(options, netlink, docker, client);
        try
        {
            await Command.RunAsync("ip", $"link add owgkn0 type veth peer name owgkc0 netns {client.Name}");
            await Command.RunAsync("ip", $"address add {PublicAddress}/24 dev owgkn0");
            await Command.RunAsync("ip", "link set owgkn0 up");
            await client.RunAsync("ip address add 198.18.42.2/24 dev owgkc0");
            await client.RunAsync("ip link set owgkc0 up");
            await node.Containers.EnsureNetworkAsync(CancellationToken.None);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>The node's container code made again, as by a NodeHost that started again.</summary>
    public void Restart()
    {
        Containers = MakeContainers();
        traffic = new PeerTraffic(TimeProvider.System);
    }

    /// <summary>Sets the bandwidth limits of the container's peers as a convergence does.</summary>
    public Task ShapeAsync(SessionContainer container, params DesiredPeer[] peers) =>
        new TrafficShaping(docker, NullLogger<TrafficShaping>.Instance).ApplyAsync(container, peers, restarted: false, CancellationToken.None);

    /// <summary>Sets the container's interface as a convergence does: its key (given back after a restart), its port and these peers.</summary>
    public Task<(string PublicKey, System.Collections.Immutable.ImmutableArray<ActualPeer> Peers, bool Restored)> ApplyAsync(
        SessionContainer container, params DesiredPeer[] peers) =>
        InterfaceSync.ApplyAsync(Containers.Interface(container), ContainerRecords.KeyFile(container.UapiDirectory),
            Containers.ListenPort(container), peers, traffic, CancellationToken.None);

    /// <summary>
    /// Brings up a kernel WireGuard client in <see cref="Client"/> at <paramref name="address"/>,
    /// reaching <paramref name="serverKey"/> on <paramref name="port"/> for the tunnel pool and the node's container network.
    /// </summary>
    /// <returns>The client's public key.</returns>
    public async Task<string> ConnectClientAsync(string serverKey, int port, string address)
    {
        var privateKey = WireGuardKey.CreatePair().PrivateKey;
        var keyFile = Path.Combine(Path.GetTempPath(), $"{client.Name}.key");
        await File.WriteAllTextAsync(keyFile, privateKey);
        await client.RunAsync("ip link add wg0 type wireguard");
        await client.RunAsync($"wg set wg0 private-key {keyFile} peer {serverKey} endpoint {PublicAddress}:{port} allowed-ips 100.64.0.0/10,{Options.ContainerSubnet}");
        File.Delete(keyFile);
        await client.RunAsync($"ip address add {address} dev wg0");
        await client.RunAsync("ip link set wg0 up");
        await client.RunAsync("ip route add 100.64.0.0/10 dev wg0");
        await client.RunAsync($"ip route add {Options.ContainerSubnet} dev wg0");
        return WireGuardKey.PublicKeyOf(privateKey);
    }

    private SessionContainers MakeContainers()
    {
        var wrapped = Microsoft.Extensions.Options.Options.Create(Options);
        var backend = new KernelWireGuard(netlink, docker, Options, NullLogger<KernelWireGuard>.Instance);
        return new SessionContainers(docker, new ShimPriority(wrapped, NullLogger<ShimPriority>.Instance),
            new NodeOwner("owg-kernel-test", Options.ServerId), backend, wrapped, NullLogger<SessionContainers>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var container in await Containers.ListAsync(reading: null, CancellationToken.None))
        {
            await Containers.RemoveAsync(container, CancellationToken.None);
        }

        await Command.TryAsync("docker", $"network rm {Containers.Names.Network}");
        await Command.TryAsync("ip", "link del owgkn0");
        await client.DisposeAsync();
        docker.Dispose();
    }
}
