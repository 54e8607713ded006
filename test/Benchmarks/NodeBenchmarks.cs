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

    /// <summary>The raw starts get a Docker network of their own beside the plane's.</summary>
    private const string RawSubnet = "198.18.65.0/24";

    public sealed record Figures(Latencies UapiPeer, Latencies WgSetPeer, Latencies RawStart, Latencies ColdConnect, Latencies WarmContainerConnect);

    public static async Task<Figures> RunAsync()
    {
        var (uapi, wgSet) = await PeerChanges();
        var (raw, cold) = await ColdConnectsBesideRawStarts();
        var warm = await WarmContainerConnects();
        return new Figures(uapi, wgSet, raw, cold, warm);
    }

    /// <summary>Adding and removing one peer on a wireguard-go interface, both ways.</summary>
    private static async Task<(Latencies Uapi, Latencies WgSet)> PeerChanges()
    {
        await using var host = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses);
        using var device = new UapiClient($"/var/run/wireguard/{host.Interface}.sock");
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

    /// <summary>
    /// A raw docker create + start of the session image until its interface answers (the node's own
    /// parameters, no control plane) and a new user's connect with a cold container start, taken in
    /// turns so that whatever else the machine does weighs on both alike.
    /// </summary>
    private static async Task<(Latencies Raw, Latencies Cold)> ColdConnectsBesideRawStarts()
    {
        await using var plane = await ControlPlane.StartAsync(Production.Heartbeat);
        var node = new NodeOptions
        {
            ServerId = $"b{Guid.NewGuid():N}"[..9],
            PublicAddress = ControlPlane.NodePublicAddress,
            ContainerSubnet = RawSubnet,
            StateDirectory = "/var/lib/orleanswg/bench-nodes",
            PortMin = 52000,
        };
        await using var underlay = await NodeUnderlay.CreateAsync(node.PublicAddress, node.ContainerSubnet);
        using var docker = new DockerClientConfiguration(new Uri(node.DockerEndpoint)).CreateClient(new Version(1, 41));
        using var containers = new SessionContainers(docker, Options.Create(node), NullLogger<SessionContainers>.Instance);
        try
        {
            await containers.EnsureNetworkAsync(CancellationToken.None);
            var raw = new List<double>();
            var cold = new List<double>();
            for (var i = 0; i < ContainerSamples + 2; i++)
            {
                SessionContainer? started = null;
                var rawTime = await Latencies.Time(async () =>
                {
                    started = await containers.StartAsync("raw", node.PortMin, CancellationToken.None);
                    await containers.Interface(started).GetAsync(CancellationToken.None);
                });
                await containers.RemoveAsync(started!, CancellationToken.None);

                await plane.CreateUser($"cold{i}");
                JsonElement session = default;
                var coldTime = await Latencies.Time(async () => session = await plane.Connect($"cold{i}"));
                await plane.Disconnect(session);
                await SettleAsync(plane, warmPoolSize: 0);
                if (i >= 2)
                {
                    raw.Add(rawTime);
                    cold.Add(coldTime);
                }
            }

            return (new Latencies("docker create + start, interface up (no control plane)", raw),
                new Latencies("POST /v1/connect, new user, cold container start", cold));
        }
        finally
        {
            await TestStack.Docker.RemoveNodeAsync(node.ServerId);
        }
    }

    private static async Task<Latencies> WarmContainerConnects()
    {
        await using var plane = await ControlPlane.StartAsync(new(Production.Heartbeat) { ["Node__WarmPoolSize"] = "1" });
        var next = 0;
        JsonElement session = default;
        return await Latencies.Measure("POST /v1/connect, new user, warm container", 2, ContainerSamples,
            async () => session = await plane.Connect($"warm{next}"),
            async () =>
            {
                await plane.Disconnect(session);
                await plane.CreateUser($"warm{++next}");
                await SettleAsync(plane, warmPoolSize: 1);
            },
            before: async () =>
            {
                await plane.CreateUser("warm0");
                await SettleAsync(plane, warmPoolSize: 1);
            });
    }

    /// <summary>Waits until the last user's container is gone and the warm pool is full and ready.</summary>
    private static Task SettleAsync(ControlPlane plane, int warmPoolSize) => plane.WaitFor(async () =>
    {
        var containers = await TestStack.Docker.ContainersAsync(plane.ServerId);
        var warm = containers.Where(c => c.Name.Contains("-warm-")).ToList();
        return warm.Count == warmPoolSize && !containers.Any(c => c.Name.Contains("-u-"))
            && (await Task.WhenAll(warm.Select(c => TestStack.Docker.IsInterfaceReadyAsync(c.Name)))).All(ready => ready);
    }, "the node to settle: the pool full and ready, the last user's container gone");
}
