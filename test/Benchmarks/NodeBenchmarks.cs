using System.Text.Json;
using Docker.DotNet;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansWg.NodeHost;
using OrleansWg.NodeHost.Docker;
using OrleansWg.NodeHost.WireGuard;
using OrleansWg.TestStack;

namespace OrleansWg.Benchmarks;

/// <summary>The node's costs: peers through UAPI against wg as a process, and a new user's container, warm or cold.</summary>
public static class NodeBenchmarks
{
    private const int PeerSamples = 200;
    private const int ContainerSamples = 15;

    public sealed record Figures(Latencies UapiPeer, Latencies WgSetPeer, Latencies RawStart, Latencies ColdConnect, Latencies WarmContainerConnect);

    public static async Task<Figures> RunAsync()
    {
        var (uapi, wgSet) = await PeerChanges();
        var rawStart = await RawContainerStarts();
        var cold = await NewUserConnects(warmPoolSize: 0, "POST /v1/connect, new user, cold container start");
        var warm = await NewUserConnects(warmPoolSize: 1, "POST /v1/connect, new user, warm container");
        return new Figures(uapi, wgSet, rawStart, cold, warm);
    }

    /// <summary>Adding and removing one peer on a wireguard-go interface, both ways.</summary>
    private static async Task<(Latencies Uapi, Latencies WgSet)> PeerChanges()
    {
        await using var host = await ClientNamespace.CreateAsync(ControlPlane.NodePublicAddress);
        var device = new UapiClient($"/var/run/wireguard/{host.Interface}.sock");
        var peer = WireGuardKey.CreatePair().PublicKey;
        var uapi = await Latencies.Measure("add + remove a peer through UAPI (C#)", 10, PeerSamples, async () =>
        {
            await device.SetAsync(new UapiSet().Peer(peer, "100.64.9.2/32"), CancellationToken.None);
            await device.SetAsync(new UapiSet().RemovePeer(peer), CancellationToken.None);
        });
        var wgSet = await Latencies.Measure("add + remove a peer with wg set (two processes)", 10, PeerSamples, async () =>
        {
            await Command.Run("wg", "set", host.Interface, "peer", peer, "allowed-ips", "100.64.9.2/32");
            await Command.Run("wg", "set", host.Interface, "peer", peer, "remove");
        });
        return (uapi, wgSet);
    }

    /// <summary>docker create + start of the session image until its interface answers, with the node's own parameters and no control plane.</summary>
    private static async Task<Latencies> RawContainerStarts()
    {
        var node = new NodeOptions
        {
            ServerId = $"b{Guid.NewGuid():N}"[..9],
            PublicAddress = ControlPlane.NodePublicAddress,
            ContainerSubnet = ControlPlane.ContainerSubnet,
            StateDirectory = "/var/lib/orleanswg/bench-nodes",
        };
        await using var underlay = await NodeUnderlay.CreateAsync(node.PublicAddress, node.ContainerSubnet);
        using var docker = new DockerClientConfiguration(new Uri(node.DockerEndpoint)).CreateClient(new Version(1, 41));
        var containers = new SessionContainers(docker, Options.Create(node), NullLogger<SessionContainers>.Instance);
        try
        {
            await containers.EnsureNetworkAsync(CancellationToken.None);
            SessionContainer? started = null;
            return await Latencies.Measure("docker create + start, interface up (no control plane)", 2, ContainerSamples,
                async () =>
                {
                    started = await containers.StartAsync("raw", node.PortMin, CancellationToken.None);
                    await containers.Interface(started).GetAsync(CancellationToken.None);
                },
                () => containers.RemoveAsync(started!, CancellationToken.None));
        }
        finally
        {
            await TestStack.Docker.RemoveNodeAsync(node.ServerId);
        }
    }

    private static async Task<Latencies> NewUserConnects(int warmPoolSize, string name)
    {
        await using var plane = await ControlPlane.StartAsync(new(Production.Heartbeat) { ["Node__WarmPoolSize"] = $"{warmPoolSize}" });
        var next = 0;
        JsonElement session = default;
        return await Latencies.Measure(name, 2, ContainerSamples,
            async () => session = await plane.Connect($"user{next}"),
            async () =>
            {
                await plane.Disconnect(session);
                await plane.CreateUser($"user{++next}");
                await plane.WaitFor(async () =>
                {
                    var containers = await TestStack.Docker.ContainersAsync(plane.ServerId);
                    var warm = containers.Where(c => c.Name.Contains("-warm-")).ToList();
                    return warm.Count == warmPoolSize && !containers.Any(c => c.Name.Contains("-u-"))
                        && (await Task.WhenAll(warm.Select(c => TestStack.Docker.IsInterfaceReadyAsync(c.Name)))).All(ready => ready);
                }, "the node to settle: the pool full and ready, the last user's container gone");
            },
            before: () => plane.CreateUser("user0"));
    }
}
